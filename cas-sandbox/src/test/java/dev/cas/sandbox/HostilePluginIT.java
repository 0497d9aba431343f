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
import java.util.regex.Pattern;
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

  /** Declares nothing; network to one host and its own folder; only threads.create. */
  static final List<String> PLUGINS = List.of("hostile", "granted", "threaded");

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
                    {"networkPolicy": "restrictive", "allowedHosts": ["127.0.0.1:%d", "localhost:%d"],
                     "filesystemAccess": "plugin-only"}"""
                        .formatted(allowedServer.getLocalPort(), allowedServer.getLocalPort())));
    Path threaded =
        plugins.buildZip(
            TestPlugins.plugin("threaded")
                .main("attack.Main", source)
                .permissions("threads.create"));
    run =
        ChildJvm.run(
            true,
            Map.of(
                "sbx.work", work.toString(),
                "sbx.outside", outsideDir.resolve("secret.txt").toString(),
                "sbx.outsideDir", outsideDir.toString(),
                "sbx.allowedPort", Integer.toString(allowedServer.getLocalPort()),
                "sbx.otherPort", Integer.toString(otherServer.getLocalPort())),
            List.of(hostile, granted, threaded));
    results = run.results();
  }

  @AfterAll
  static void closeServers() throws IOException {
    allowedServer.close();
    otherServer.close();
  }

  @Test
  void theHostSurvivesEveryAttackAndMayStillDoItself() {
    assertThat(run.lines())
        .as(String.join("\n", run.lines()))
        .contains("DONE hostile", "DONE granted", "DONE threaded", "ALIVE");
    assertThat(run.lines())
        .contains(
            "HOST defaults unchanged true",
            "HOST victim alive true",
            "HOST victim info true",
            "HOST victim stopped true",
            "HOST process 0",
            "HOST thread started",
            "HOST property set",
            "HOST read 11",
            "HOST connected true",
            "HOST resolved true",
            "HOST listening true",
            "HOST environment true",
            "HOST plugin wrote no property true",
            "HOST live properties true",
            "HOST class loader true",
            "HOST metadata true");
    assertThat(run.exitCode()).as("host's own System.exit(42)\n" + run.lines()).isEqualTo(42);
  }

  @Test
  void pluginCannotStartAProcess() {
    for (String plugin : PLUGINS) {
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
  void pluginCannotSignalOrInspectOtherProcesses() {
    String pid = victimPid();
    for (String plugin : PLUGINS) {
      assertDenied(
          plugin,
          "plugin ["
              + plugin
              + "] may not signal the process ["
              + pid
              + "]: not allowed to plugins",
          "process.kill",
          "process.kill-reflect",
          "process.kill-handle");
      assertDenied(
          plugin,
          "plugin ["
              + plugin
              + "] may not read the command line of the process ["
              + pid
              + "]: not allowed to plugins",
          "process.info",
          "process.info-all");
      assertThat(results.get(plugin + " process.pid")).isEqualTo("OK");
    }
  }

  /** The pid of the process the host started for the plugins to attack. */
  private static String victimPid() {
    return run.lines().stream()
        .filter(l -> l.startsWith("HOST victim pid "))
        .map(l -> l.substring("HOST victim pid ".length()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void pluginCannotExitOrHaltTheJvm() {
    for (String plugin : List.of("hostile", "threaded")) {
      assertDenied(
          plugin,
          "plugin [" + plugin + "] may not exit the JVM with status [3]: not allowed to plugins",
          "exit.direct",
          "exit.reflect",
          "exit.handle");
      assertDenied(
          plugin,
          "plugin [" + plugin + "] may not halt the JVM with status [4]: not allowed to plugins",
          "halt.direct",
          "halt.reflect",
          "halt.handle");
      assertThat(results.get(plugin + " shutdownhook.direct")).startsWith("DENIED ");
    }
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
    for (String plugin : List.of("hostile", "granted")) {
      assertThat(results.get(plugin + " thread.direct"))
          .matches(
              "DENIED plugin \\["
                  + plugin
                  + "\\] may not start the thread \\[Thread-\\d+\\]: plugins start tasks through"
                  + " PluginTasks executors unless they declare threads.create");
      assertDenied(plugin, null, "thread.virtual", "thread.reflect", "thread.handle");
      assertDenied(plugin, null, "thread.executor");
      assertThat(results.get(plugin + " thread.tasks")).isEqualTo("OK");
    }
  }

  @Test
  void threadsCreateLetsAPluginStartThreadsOfItsOwn() {
    for (String attack :
        List.of(
            "thread.direct",
            "thread.virtual",
            "thread.reflect",
            "thread.handle",
            "thread.executor",
            "thread.tasks")) {
      assertThat(results.get("threaded " + attack)).as(attack).isEqualTo("OK");
    }
  }

  @Test
  void threadsCreateGrantsNothingElse() {
    // The same attacks as the plugin that declares nothing, outcome for outcome, except threads.
    List<String> differ =
        List.of(
            "thread.direct",
            "thread.virtual",
            "thread.reflect",
            "thread.handle",
            "thread.executor",
            "dns.httpclient-async",
            "pool.async-default");
    int compared = 0;
    for (Map.Entry<String, String> e : results.entrySet()) {
      if (!e.getKey().startsWith("hostile ")) {
        continue;
      }
      String attack = e.getKey().substring("hostile ".length());
      if (differ.contains(attack)) {
        continue;
      }
      String expected = e.getValue().replace("hostile", "threaded");
      assertThat(normalized(results.get("threaded " + attack)))
          .as(attack)
          .isEqualTo(normalized(expected));
      compared++;
    }
    assertThat(compared).isGreaterThan(100);
  }

  /** Ephemeral ports and folder names differ between two runs of the same attack. */
  private static String normalized(String outcome) {
    return outcome == null
        ? null
        : outcome
            .replaceAll(":\\d+\\]", ":N]")
            .replaceAll("Thread-\\d+", "Thread-N")
            .replaceAll("sbx\\.parallel-\\d+", "sbx.parallel-N")
            .replaceAll("installed-[^/\\]]+", "installed-X");
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
  void pluginCannotResolveNamesItMayNotConnectTo() {
    for (String plugin : PLUGINS) {
      String name = "secret-" + plugin + ".exfil.invalid";
      String why =
          plugin.equals("granted")
              ? "host not in sandbox.allowedHosts " + grantedHosts()
              : "the plugin has no outbound network access";
      assertDenied(
          plugin,
          "plugin [" + plugin + "] may not resolve the host name [" + name + "]: " + why,
          "dns.direct",
          "dns.all",
          "dns.reflect",
          "dns.handle",
          "dns.socket",
          "dns.url",
          "dns.httpclient");
      assertThat(results.get(plugin + " dns.literal")).isEqualTo("OK");
      assertDenied(
          plugin,
          "plugin ["
              + plugin
              + "] may not resolve the host name [10.9.8.7 (reverse lookup)]: "
              + why,
          "dns.reverse",
          "dns.reverse-canonical",
          "dns.reverse-reflect",
          "dns.reverse-handle");
    }
    // HttpClient.sendAsync resolves on the client's worker thread: without threads.create the
    // worker is refused; with it, the worker is the plugin's, and so is the lookup made on it.
    for (String plugin : List.of("hostile", "granted")) {
      assertThat(results.get(plugin + " dns.httpclient-async"))
          .startsWith("DENIED plugin [" + plugin + "] may not start the thread [HttpClient-")
          .endsWith(
              "]: plugins start tasks through PluginTasks executors unless they declare"
                  + " threads.create");
    }
    assertThat(results.get("threaded dns.httpclient-async"))
        .isEqualTo(
            "DENIED plugin [threaded] may not resolve the host name"
                + " [secret-threaded.exfil.invalid]: the plugin has no outbound network access");
    assertThat(results.get("granted dns-allowed.direct")).isEqualTo("OK");
    assertThat(results.get("hostile dns-allowed.direct"))
        .isEqualTo(
            "DENIED plugin [hostile] may not resolve the host name [localhost]: the plugin has no"
                + " outbound network access");
  }

  @Test
  void noPluginListens() {
    int other = otherServer.getLocalPort();
    for (String plugin : PLUGINS) {
      String denied = "DENIED plugin [" + plugin + "] may not listen on [";
      String why = "]: no permission grants listening";
      for (String route : List.of("server", "reflect", "handle")) {
        assertThat(results.get(plugin + " listen." + route))
            .as(plugin + " listen." + route)
            .matches(Pattern.quote(denied) + "127\\.0\\.0\\.1:\\d+" + Pattern.quote(why));
      }
      assertThat(results.get(plugin + " listen.fixed"))
          .isEqualTo(denied + "127.0.0.1:" + other + why);
      assertThat(results.get(plugin + " listen.udp"))
          .isEqualTo(denied + "127.0.0.1:" + other + why);
      assertThat(results.get(plugin + " listen.channel")).isEqualTo(denied + "127.0.0.1:0" + why);
      Path sock = outsideDir.resolve(plugin + ".sock");
      assertThat(results.get(plugin + " unix.listen")).isEqualTo(denied + sock + why);
      assertThat(results.get(plugin + " unix.connect"))
          .isEqualTo(
              "DENIED plugin ["
                  + plugin
                  + "] may not use the Unix-domain socket ["
                  + sock
                  + "]: not allowed to plugins");
    }
  }

  @Test
  void udpFollowsTheConnectPolicy() {
    int allowed = allowedServer.getLocalPort();
    int other = otherServer.getLocalPort();
    for (String route : List.of("direct", "channel", "reflect", "handle")) {
      assertThat(results.get("hostile udp-allowed." + route))
          .isEqualTo(
              "DENIED plugin [hostile] may not send datagrams to [127.0.0.1:"
                  + allowed
                  + "]: the plugin has no outbound network access");
      assertThat(results.get("granted udp-allowed." + route)).as(route).isEqualTo("OK");
      assertThat(results.get("granted udp-other." + route))
          .isEqualTo(
              "DENIED plugin [granted] may not send datagrams to [127.0.0.1:"
                  + other
                  + "]: host not in sandbox.allowedHosts "
                  + grantedHosts());
    }
    assertThat(results.get("granted udp-allowed.connect")).isEqualTo("OK");
    assertThat(results.get("granted udp-other.connect"))
        .isEqualTo(
            "DENIED plugin [granted] may not connect to [127.0.0.1:"
                + other
                + "]: host not in sandbox.allowedHosts "
                + grantedHosts());
  }

  @Test
  void pluginCannotReadTheEnvironment() {
    for (String plugin : PLUGINS) {
      String denied = "plugin [" + plugin + "] may not read the environment variable [";
      assertDenied(
          plugin,
          denied + "PATH]: not allowed to plugins",
          "env.direct",
          "env.reflect",
          "env.handle");
      assertDenied(plugin, denied + "*]: not allowed to plugins", "env.all", "env.builder");
    }
  }

  @Test
  void pluginCannotChangeJvmWideState() {
    Map<String, String> methods =
        Map.ofEntries(
            Map.entry("global.locale", "java.util.Locale.setDefault"),
            Map.entry("global.locale-category", "java.util.Locale.setDefault"),
            Map.entry("global.timezone", "java.util.TimeZone.setDefault"),
            Map.entry("global.out", "java.lang.System.setOut"),
            Map.entry("global.err", "java.lang.System.setErr"),
            Map.entry("global.in", "java.lang.System.setIn"),
            Map.entry("global.url-factory", "java.net.URL.setURLStreamHandlerFactory"),
            Map.entry("global.content-factory", "java.net.URLConnection.setContentHandlerFactory"),
            Map.entry("global.socket-factory", "java.net.Socket.setSocketImplFactory"),
            Map.entry("global.server-socket-factory", "java.net.ServerSocket.setSocketFactory"),
            Map.entry(
                "global.ssl-factory",
                "javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory"),
            Map.entry(
                "global.hostname-verifier",
                "javax.net.ssl.HttpsURLConnection.setDefaultHostnameVerifier"),
            Map.entry("global.ssl-context", "javax.net.ssl.SSLContext.setDefault"),
            Map.entry("global.authenticator", "java.net.Authenticator.setDefault"),
            Map.entry("global.proxy", "java.net.ProxySelector.setDefault"),
            Map.entry("global.cookies", "java.net.CookieHandler.setDefault"),
            Map.entry("global.cache", "java.net.ResponseCache.setDefault"),
            Map.entry("global.url-caches", "java.net.URLConnection.setDefaultUseCaches"),
            Map.entry("global.security-property", "java.security.Security.setProperty"),
            Map.entry("global.security-remove", "java.security.Security.removeProvider"),
            Map.entry("global.security-add", "java.security.Security.addProvider"),
            Map.entry("global.reflect", "java.util.Locale.setDefault"),
            Map.entry("global.handle", "java.util.TimeZone.setDefault"));
    for (String plugin : PLUGINS) {
      methods.forEach(
          (attack, method) ->
              assertDenied(
                  plugin,
                  "plugin ["
                      + plugin
                      + "] may not change JVM-wide state through ["
                      + method
                      + "]: not allowed to plugins",
                  attack));
      // System.getProperties(): a copy; writing it changes nothing (the host checks too).
      assertThat(results.get(plugin + " props.copy")).isEqualTo("OK");
    }
  }

  @Test
  void pluginCannotMakeClassLoadersOrDefineClasses() {
    for (String plugin : PLUGINS) {
      String loader = "plugin [" + plugin + "] may not create the class loader [";
      assertDenied(
          plugin,
          loader + "unnamed]: not allowed to plugins",
          "loader.direct",
          "loader.subclass",
          "loader.factory",
          "loader.reflect",
          "loader.handle");
      assertDenied(plugin, loader + "mine]: not allowed to plugins", "loader.named");
      // A host API that makes loaders is out of a plugin's reach (and would make none for it).
      assertDenied(
          plugin,
          "plugin ["
              + plugin
              + "] may not load the host class [dev.cas.sandbox.HostLoaderApi]: plugins see only"
              + " the plugin API of the host",
          "loader.through-host");
      String define =
          "plugin ["
              + plugin
              + "] may not define classes through [java.lang.invoke.MethodHandles.Lookup.";
      assertDenied(
          plugin,
          define + "defineClass]: not allowed to plugins",
          "define.class",
          "define.reflect");
      assertDenied(
          plugin,
          define + "defineHiddenClass]: not allowed to plugins",
          "define.hidden",
          "define.handle");
      assertDenied(
          plugin,
          define + "defineHiddenClassWithClassData]: not allowed to plugins",
          "define.hiddendata");
    }
  }

  @Test
  void whatTheJdkDefinesForPluginCodeStillWorks() {
    for (String plugin : PLUGINS) {
      for (String attack :
          List.of(
              "lang.lambda",
              "lang.methodref",
              "lang.concat",
              "lang.switch",
              "lang.record",
              "lang.proxy",
              "lang.stream")) {
        assertThat(results.get(plugin + " " + attack)).as(plugin + " " + attack).isEqualTo("OK");
      }
    }
  }

  @Test
  void fileMetadataAndRenamesNeedAccessToThePath() throws IOException {
    String[] reads = {
      "meta-outside.exists",
      "meta-outside.isdir",
      "meta-outside.size",
      "meta-outside.attrs",
      "meta-outside.mtime",
      "meta-outside.posix",
      "meta-outside.readable",
      "meta-outside.file-exists",
      "meta-outside.file-isdir",
      "meta-outside.file-length",
      "meta-outside.file-mtime",
      "meta-outside.file-list",
      "meta-outside.file-canread",
      "meta-outside.realpath",
      "meta-outside.canonical",
      "meta-outside.reflect",
      "meta-outside.handle"
    };
    Path secret = outsideDir.resolve("secret.txt").toRealPath();
    String granted = "]: outside the plugin's folder [" + installedFolder("granted") + "]";
    for (String attack : reads) {
      String target =
          attack.equals("meta-outside.isdir")
                  || attack.equals("meta-outside.file-isdir")
                  || attack.equals("meta-outside.file-list")
              ? outsideDir.toRealPath().toString()
              : secret.toString();
      assertDenied("granted", "plugin [granted] may not read [" + target + granted, attack);
      assertDenied(
          "hostile",
          "plugin [hostile] may not read [" + target + "]: the plugin has no file system access",
          attack);
    }
    assertDenied(
        "granted",
        "plugin [granted] may not write ["
            + outsideDir.toRealPath().resolve("granted-renamed")
            + granted,
        "write-outside.rename");
    assertDenied(
        "granted",
        "plugin [granted] may not write [" + secret + granted,
        "write-outside.rename-in",
        "write-outside.setmtime",
        "write-outside.setreadable");
    assertDenied("granted", null, "write-outside.nio-mtime");
    for (String plugin : PLUGINS) {
      assertThat(results.get(plugin + " meta-jdk.exists")).isEqualTo("OK");
      // its own package: readable to all, real and canonical paths included
      assertThat(results.get(plugin + " meta-own.realpath")).isEqualTo("OK");
      assertThat(results.get(plugin + " meta-own.canonical")).isEqualTo("OK");
    }
    for (String attack :
        List.of("meta-own.exists", "meta-own.length", "meta-own.rename", "meta-own.setmtime")) {
      assertThat(results.get("granted " + attack)).as(attack).isEqualTo("OK");
    }
    assertDenied("hostile", null, "meta-own.rename", "meta-own.setmtime");
    assertThat(Files.readString(outsideDir.resolve("secret.txt"))).isEqualTo("host secret");
    assertThat(Files.getLastModifiedTime(outsideDir.resolve("secret.txt")).toMillis())
        .isGreaterThan(0);
  }

  private static String grantedHosts() {
    int allowed = allowedServer.getLocalPort();
    return "[127.0.0.1:" + allowed + ", localhost:" + allowed + "]";
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
                  + "]: host not in sandbox.allowedHosts "
                  + grantedHosts());
    }
  }

  @Test
  void pluginCannotReadOrWriteOutsideItsFolder() throws IOException {
    for (String plugin : PLUGINS) {
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
    // Its own package is readable to every plugin (the JDK reads its jars for it), never writable.
    assertThat(results.get("hostile read-own.direct")).isEqualTo("OK");
    assertDenied("hostile", null, "write-own.direct", "symlink.create");
  }

  @Test
  void workOnPoolsThePluginDoesNotOwnActsForThePlugin() {
    for (String plugin : PLUGINS) {
      String denied = "plugin [" + plugin + "] may not ";
      assertDenied(
          plugin,
          denied + "set the system property [sbx.pool]: not allowed to plugins",
          "pool.property-proxy",
          "pool.invoke-proxy",
          "pool.execute-proxy",
          "pool.reflect",
          "pool.handle",
          "proxy.direct",
          "proxy.reflect",
          "deputy.pool");
      assertDenied(
          plugin,
          denied + "exit the JVM with status [5]: not allowed to plugins",
          "pool.exit-proxy",
          "pool.async-proxy");
      assertDenied(
          plugin,
          denied + "start the process [true]: not allowed to plugins",
          "pool.process-methodref");
      assertThat(results.get(plugin + " pool.hook-proxy"))
          .startsWith("DENIED " + denied + "add the shutdown hook [Thread-")
          .endsWith("]: not allowed to plugins");
      assertThat(results.get(plugin + " pool.listen-proxy"))
          .matches(
              Pattern.quote("DENIED " + denied + "listen on [")
                  + "0\\.0\\.0\\.0:\\d+"
                  + Pattern.quote("]: no permission grants listening"));
      assertThat(results.get(plugin + " pool.parallel-methodref"))
          .startsWith("DENIED " + denied + "set the system property [sbx.parallel-")
          .endsWith("]: not allowed to plugins");
      assertDenied(
          plugin,
          denied
              + "make a proxy through [java.beans.EventHandler.<init>]: the code it runs would"
              + " carry no frame of the plugin",
          "proxy.eventhandler");
      // CompletableFuture's default pool: the common pool, or a thread per task on a small machine
      assertDenied(plugin, null, "pool.async-default");
      assertThat(results.get(plugin + " pool.lambda-ok")).isEqualTo("OK");
    }
    int other = otherServer.getLocalPort();
    assertDenied(
        "hostile",
        "plugin [hostile] may not connect to [127.0.0.1:"
            + other
            + "]: the plugin has no outbound network access",
        "pool.connect-proxy");
    assertDenied(
        "granted",
        "plugin [granted] may not connect to [127.0.0.1:"
            + other
            + "]: host not in sandbox.allowedHosts "
            + grantedHosts(),
        "pool.connect-proxy");
    assertThat(results.get("granted pool.connect-allowed-proxy")).isEqualTo("OK");
    assertThat(run.lines()).contains("HOST pool property null");
  }

  @Test
  void schedulersAndTimersThePluginDoesNotOwnActForThePlugin() throws IOException {
    Path secret = outsideDir.resolve("secret.txt").toRealPath();
    for (String plugin : PLUGINS) {
      String denied = "plugin [" + plugin + "] may not ";
      assertDenied(
          plugin,
          denied + "set the system property [sbx.pool]: not allowed to plugins",
          "timer.stpe-proxy",
          "timer.fjp-proxy");
      assertDenied(
          plugin,
          denied + "start the process [true]: not allowed to plugins",
          "timer.stpe-execute",
          "timer.fjp-periodic",
          "timer.timer-periodic");
      String why =
          plugin.equals("granted")
              ? "outside the plugin's folder [" + installedFolder("granted") + "]"
              : "the plugin has no file system access";
      // Host code alone on the host's scheduler, the common pool's, CompletableFuture's delayed
      // executor and the host's Timer: only the context captured when it was scheduled names the
      // plugin.
      assertDenied(
          plugin,
          denied + "read [" + secret + "]: " + why,
          "timer.stpe-host",
          "timer.stpe-periodic",
          "timer.fjp-host",
          "timer.delayed-host",
          "timer.timer-host");
    }
  }

  @Test
  void pluginsSeeOnlyThePluginApiOfTheHostsClassPath() {
    for (String plugin : PLUGINS) {
      String why = "]: plugins see only the plugin API of the host";
      assertDenied(
          plugin,
          "plugin [" + plugin + "] may not load the host class [dev.cas.sandbox.HostDeputy" + why,
          "hostclass.system",
          "hostclass.forname",
          "hostclass.api-loader",
          "hostclass.context",
          "hostclass.teleport",
          "hostclass.module",
          "hostclass.reflect",
          "hostclass.handle",
          "hostclass.proxy");
      assertDenied(
          plugin,
          "plugin [" + plugin + "] may not load the host class [org.slf4j.LoggerFactory" + why,
          "hostclass.slf4j");
      assertDenied(
          plugin,
          "plugin ["
              + plugin
              + "] may not read the host resource [dev/cas/sandbox/HostDeputy.class"
              + why,
          "hostclass.resource");
      assertThat(results.get(plugin + " hostclass.api")).isEqualTo("OK");
      assertThat(results.get(plugin + " hostclass.jdk")).isEqualTo("OK");
    }
  }

  @Test
  void aHostLibraryWorksWithThePluginsRightsNotTheHosts() throws IOException {
    Path secret = outsideDir.resolve("secret.txt").toRealPath();
    int other = otherServer.getLocalPort();
    for (String plugin : PLUGINS) {
      String why =
          plugin.equals("granted")
              ? "outside the plugin's folder [" + installedFolder("granted") + "]"
              : "the plugin has no file system access";
      assertDenied(
          plugin,
          "plugin [" + plugin + "] may not read [" + secret + "]: " + why,
          "deputy.read",
          "deputy.handle",
          "deputy.proxy");
      assertDenied(
          plugin,
          "plugin ["
              + plugin
              + "] may not set the system property [sbx.deputy-set]: not allowed"
              + " to plugins",
          "deputy.property");
      // host code loading its own classes while it serves a plugin still works
      assertThat(results.get(plugin + " deputy.load")).isEqualTo("OK");
    }
    assertDenied(
        "granted",
        "plugin [granted] may not connect to [127.0.0.1:"
            + other
            + "]: host not in sandbox.allowedHosts "
            + grantedHosts(),
        "deputy.connect");
    assertDenied(
        "hostile",
        "plugin [hostile] may not connect to [127.0.0.1:"
            + other
            + "]: the plugin has no outbound network access",
        "deputy.connect");
  }

  @Test
  void theManagementApiIsTheHosts() throws IOException {
    Map<String, String> methods =
        Map.of(
            "mgmt.dumpheap", "java.lang.management.ManagementFactory.getPlatformMXBean",
            "mgmt.server", "java.lang.management.ManagementFactory.getPlatformMBeanServer",
            "mgmt.runtime", "java.lang.management.ManagementFactory.getRuntimeMXBean",
            "mgmt.factory", "javax.management.MBeanServerFactory.findMBeanServer",
            "mgmt.jfr", "jdk.jfr.Recording.<init>",
            "mgmt.reflect", "java.lang.management.ManagementFactory.getPlatformMBeanServer",
            "mgmt.handle", "java.lang.management.ManagementFactory.getPlatformMBeanServer",
            "mgmt.proxy", "java.lang.management.ManagementFactory.getPlatformMBeanServer");
    for (String plugin : PLUGINS) {
      methods.forEach(
          (attack, method) ->
              assertDenied(
                  plugin,
                  "plugin ["
                      + plugin
                      + "] may not use the host-only JVM service ["
                      + method
                      + "]: management and monitoring are the host's",
                  attack));
      assertThat(installedFolder(plugin).resolve("heap-" + plugin + ".hprof")).doesNotExist();
    }
    assertThat(run.lines()).contains("HOST management true");
  }

  @Test
  void loggingConfigurationIsTheHostsAndEachPluginHasItsOwnLoggers() {
    for (String plugin : PLUGINS) {
      String logger = "plugin [" + plugin + "] may not configure the logger [";
      String why = "]: a plugin may configure only its own loggers [plugin." + plugin + "]";
      assertDenied(
          plugin,
          logger + "root" + why,
          "log.root-handler",
          "log.root-level",
          "log.root-handlers",
          "log.reflect",
          "log.handle",
          "log.proxy");
      assertDenied(plugin, logger + "dev.cas.runtime" + why, "log.other-level");
      assertDenied(plugin, logger + "dev.cas.sandbox.registered" + why, "log.register");
      String manager = "plugin [" + plugin + "] may not use the host-only JVM service [";
      assertDenied(
          plugin,
          manager + "java.util.logging.LogManager.reset]: logging configuration is the host's",
          "log.reset");
      assertDenied(
          plugin,
          manager
              + "java.util.logging.LogManager.readConfiguration]: logging configuration is the"
              + " host's",
          "log.read");
      assertThat(results.get(plugin + " log.own")).isEqualTo("OK");
    }
    assertThat(run.lines()).contains("HOST logging unchanged true");
  }

  @Test
  void pluginsMayNotCreateLinks() throws IOException {
    for (String plugin : PLUGINS) {
      String message =
          "plugin ["
              + plugin
              + "] may not create the link ["
              + installedFolder(plugin).resolve("made-link")
              + "]: plugins may not create symbolic or hard links";
      assertDenied(
          plugin,
          message,
          "symlink.create",
          "symlink.reflect",
          "symlink.handle",
          "symlink.provider",
          "hardlink.create",
          "hardlink.provider");
      assertThat(installedFolder(plugin).resolve("made-link")).doesNotExist();
    }
  }

  @Test
  void aLinkFollowedByDotDotIsJudgedAsTheKernelResolvesIt() throws IOException {
    // <own>/up -> <work>/outside; <own>/up/../outside/x is <work>/outside/x to the kernel, and
    // <own>/outside/x to a checker that normalizes the text first.
    Path own = installedFolder("granted");
    Path via = own.resolve("up").resolve("..").resolve("outside");
    Path secret = outsideDir.resolve("secret.txt").toRealPath();
    String why = "]: outside the plugin's folder [" + own + "]";
    assertDenied(
        "granted",
        "plugin [granted] may not read [" + via.resolve("secret.txt") + " -> " + secret + why,
        "symlink-dotdot.read",
        "symlink-dotdot.direct",
        "symlink-dotdot.reflect",
        "symlink-dotdot.handle",
        "symlink-dotdot.exists");
    assertDenied(
        "granted",
        "plugin [granted] may not write ["
            + via.resolve("granted-dotdot")
            + " -> "
            + outsideDir.toRealPath().resolve("granted-dotdot")
            + why,
        "symlink-dotdot.write");
    assertThat(outsideDir.resolve("granted-dotdot")).doesNotExist();
  }

  @Test
  void symlinkOutOfItsFolderIsDenied() throws IOException {
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
    for (String plugin : PLUGINS) {
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
