package dev.cas.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-plugin suite: two real plugins built from the same attack code — {@code hostile},
 * which declares nothing, and {@code granted}, which declares {@code network.outbound} to one host
 * and {@code filesystemAccess: plugin-only} — installed on a real runtime in a child JVM started
 * with the built agent. Every attack runs through a direct call, {@code Method.invoke} and a {@code
 * MethodHandle} (and an indirect JDK route where there is one); the child must survive them all and
 * still let the host itself do what the plugins may not.
 */
class HostilePluginIT {

  @TempDir static Path work;
  static ServerSocket allowedServer;
  static ServerSocket otherServer;
  static Path outsideDir;
  static ChildJvm.Run run;
  static Map<String, String> results;

  @BeforeAll
  static void runTheAttacks() throws Exception {
    allowedServer = listening();
    otherServer = listening();
    outsideDir = Files.createDirectories(work.resolve("outside"));
    Files.writeString(outsideDir.resolve("secret.txt"), "host secret");
    TestPlugins plugins = new TestPlugins(work.resolve("build"));
    String source = attackSource();
    Path hostile = plugins.buildZip(TestPlugins.plugin("hostile").main("attack.Main", source));
    Path granted =
        plugins.buildZip(
            TestPlugins.plugin("granted")
                .main("attack.Main", source)
                .permissions("network.outbound")
                .sandbox(
                    """
                    {"networkPolicy": "restrictive", "allowedHosts": ["127.0.0.1:%d"],
                     "filesystemAccess": "plugin-only"}"""
                        .formatted(allowedServer.getLocalPort())));
    run =
        ChildJvm.run(
            true,
            Map.of(
                "sbx.work", work.toString(),
                "sbx.outside", outsideDir.resolve("secret.txt").toString(),
                "sbx.outsideDir", outsideDir.toString(),
                "sbx.allowedPort", Integer.toString(allowedServer.getLocalPort()),
                "sbx.otherPort", Integer.toString(otherServer.getLocalPort())),
            List.of(hostile, granted));
    results = run.results();
  }

  @AfterAll
  static void closeServers() throws IOException {
    allowedServer.close();
    otherServer.close();
  }

  @Test
  void theHostSurvivesEveryAttackAndMayStillDoItself() {
    assertThat(run.lines()).contains("DONE hostile", "DONE granted", "ALIVE");
    assertThat(run.lines())
        .contains(
            "HOST process 0",
            "HOST thread started",
            "HOST property set",
            "HOST read 11",
            "HOST connected true");
    assertThat(run.exitCode()).as("host's own System.exit(42)\n" + run.lines()).isEqualTo(42);
  }

  @Test
  void pluginCannotStartAProcess() {
    for (String plugin : List.of("hostile", "granted")) {
      assertDenied(
          plugin,
          "plugin [" + plugin + "] may not start the process [true]: not allowed to plugins",
          "process.direct",
          "process.exec",
          "process.reflect",
          "process.handle");
    }
  }

  @Test
  void pluginCannotExitOrHaltTheJvm() {
    assertDenied(
        "hostile",
        "plugin [hostile] may not exit the JVM with status [3]: not allowed to plugins",
        "exit.direct",
        "exit.reflect",
        "exit.handle");
    assertDenied(
        "hostile",
        "plugin [hostile] may not halt the JVM with status [4]: not allowed to plugins",
        "halt.direct",
        "halt.reflect",
        "halt.handle");
    assertThat(results.get("hostile shutdownhook.direct")).startsWith("DENIED ");
  }

  @Test
  void pluginCannotLoadNativeCode() {
    // System.load asks Module.ensureNativeAccess first: the FFM restricted methods' check too.
    assertDenied(
        "hostile",
        "plugin [hostile] may not use native code through [java.lang.System.load]: not allowed to"
            + " plugins",
        "native.direct",
        "native.reflect",
        "native.handle");
  }

  @Test
  void pluginCannotStartRawThreadsButRunsTasksOnItsExecutor() {
    assertThat(results.get("hostile thread.direct"))
        .matches(
            "DENIED plugin \\[hostile\\] may not start the thread \\[Thread-\\d+\\]: plugins start"
                + " tasks through PluginTasks executors");
    assertDenied("hostile", null, "thread.virtual", "thread.reflect", "thread.handle");
    assertDenied("hostile", null, "thread.executor");
    assertThat(results.get("hostile thread.tasks")).isEqualTo("OK");
  }

  @Test
  void pluginCannotSetSystemProperties() {
    assertDenied(
        "hostile",
        "plugin [hostile] may not set the system property [sbx.owned]: not allowed to plugins",
        "property.direct",
        "property.reflect",
        "property.handle");
    assertDenied("hostile", null, "property.clear");
  }

  @Test
  void connectNeedsThePermissionAndAnAllowedHost() {
    int allowed = allowedServer.getLocalPort();
    int other = otherServer.getLocalPort();
    String[] routes = {"direct", "channel", "reflect", "handle"};
    for (String route : routes) {
      assertThat(results.get("hostile connect-allowed." + route))
          .isEqualTo(
              "DENIED plugin [hostile] may not connect to [127.0.0.1:"
                  + allowed
                  + "]: the plugin has no outbound network access");
      assertThat(results.get("granted connect-allowed." + route)).isEqualTo("OK");
      assertThat(results.get("granted connect-other." + route))
          .isEqualTo(
              "DENIED plugin [granted] may not connect to [127.0.0.1:"
                  + other
                  + "]: host not in sandbox.allowedHosts [127.0.0.1:"
                  + allowed
                  + "]");
    }
  }

  @Test
  void pluginCannotReadOrWriteOutsideItsFolder() throws IOException {
    for (String plugin : List.of("hostile", "granted")) {
      assertDenied(
          plugin,
          null,
          "read-outside.direct",
          "read-outside.nio",
          "read-outside.reflect",
          "read-outside.handle",
          "read-outside.proc",
          "write-outside.direct",
          "write-outside.nio",
          "write-outside.raf",
          "write-outside.create",
          "write-outside.reflect",
          "write-outside.handle");
    }
    Path secret = outsideDir.resolve("secret.txt").toRealPath();
    assertThat(results.get("granted read-outside.nio"))
        .isEqualTo(
            "DENIED plugin [granted] may not read ["
                + secret
                + "]: outside the plugin's folder ["
                + installedFolder("granted")
                + "]");
    assertThat(results.get("hostile read-outside.nio"))
        .isEqualTo(
            "DENIED plugin [hostile] may not read ["
                + secret
                + "]: the plugin has no file system access");
    try (var files = Files.list(outsideDir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("secret.txt");
    }
  }

  @Test
  void pluginOnlyMeansItsOwnFolder() {
    assertThat(results.get("granted read-own.direct")).isEqualTo("OK");
    assertThat(results.get("granted write-own.direct")).isEqualTo("OK");
    assertDenied("hostile", null, "read-own.direct", "write-own.direct", "symlink.create");
  }

  @Test
  void symlinkOutOfItsFolderIsDenied() throws IOException {
    assertThat(results.get("granted symlink.create")).isEqualTo("OK");
    Path link = installedFolder("granted").resolve("escape");
    String message =
        "plugin [granted] may not read ["
            + link
            + " -> "
            + outsideDir.resolve("secret.txt").toRealPath()
            + "]: outside the plugin's folder ["
            + installedFolder("granted")
            + "]";
    assertDenied(
        "granted",
        message,
        "symlink-out.direct",
        "symlink-out.nio",
        "symlink-out.reflect",
        "symlink-out.handle");
  }

  @Test
  void checkerCannotBeOpenedOrReconfigured() {
    for (String plugin : List.of("hostile", "granted")) {
      assertDenied(
          plugin,
          "plugin ["
              + plugin
              + "] may not reflect into [dev.cas.sandbox.checker.Attribution]: the sandbox"
              + " checker is closed to everyone",
          "reflect-checker.field",
          "reflect-checker.try",
          "reflect-checker.lookup");
      assertDenied(
          plugin,
          "plugin ["
              + plugin
              + "] may not change the sandbox through"
              + " [dev.cas.sandbox.checker.PolicyRegistry]: only the host may register a policy"
              + " for plugin "
              + plugin,
          "reflect-checker.register",
          "reflect-checker.registerhandle");
      assertDenied(plugin, null, "reflect-checker.sanction");
    }
    // Still enforced after the attempts: the granted plugin's later reads were refused.
    assertThat(results.get("granted symlink-out.handle")).startsWith("DENIED ");
  }

  @Test
  void pluginMayOpenOnlyItsOwnClasses() {
    assertThat(results.get("hostile reflect-host.field"))
        .isEqualTo(
            "DENIED plugin [hostile] may not reflect into [dev.cas.runtime.PluginContextImpl]: a"
                + " plugin may open only its own classes");
    assertThat(results.get("hostile reflect-own.field")).isEqualTo("OK");
  }

  private static void assertDenied(String plugin, String message, String... attacks) {
    for (String attack : attacks) {
      String outcome = results.get(plugin + " " + attack);
      assertThat(outcome)
          .as(plugin + " " + attack + "\n" + String.join("\n", run.lines()))
          .startsWith("DENIED ");
      if (message != null) {
        assertThat(outcome).as(plugin + " " + attack).isEqualTo("DENIED " + message);
      }
    }
  }

  private static Path installedFolder(String plugin) throws IOException {
    try (var dirs = Files.list(work)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("installed-" + plugin))
          .findFirst()
          .orElseThrow()
          .toRealPath();
    }
  }

  static String attackSource() throws IOException {
    try (InputStream in =
        HostilePluginIT.class.getResourceAsStream("/plugins/AttackPlugin.java.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A local server that accepts and closes connections: a connect succeeds unless denied. */
  static ServerSocket listening() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  s.getOutputStream().flush();
                } catch (IOException e) {
                  return;
                }
              }
            });
    return server;
  }
}
