package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.security.HostSandbox;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The host with the sandbox agent (failsafe starts this JVM with {@code -javaagent}), a real server
 * on the embedded PostgreSQL and real plugins: the start-up canary was denied, and each attack the
 * agent denies is an exception to the plugin, a {@code sandbox.denied} audit entry and a count in
 * the plugin's status — checked through the HTTP API.
 */
class SandboxEnforcedIT {

  private static final String SECRET = "sk-live-4be81d07aa";

  @TempDir static Path tmp;
  static LogCapture log;
  static TestHost host;
  static String operator;

  @BeforeAll
  static void start() {
    log = LogCapture.start();
    host = TestHost.embedded(tmp.resolve("host"));
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    for (TestPlugins.Spec spec : List.of(NotesPlugin.spec("1.0.0"), SpyPlugin.spec())) {
      TestHost.Response imported = host.importZip(plugins.buildZip(spec), "");
      assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    }
    operator = host.userToken("otto", "operator");
    assertThat(
            host.put("/api/plugins/notes/config", operator, "{\"apiKey\": \"" + SECRET + "\"}")
                .status())
        .isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    try {
      host.close();
    } finally {
      log.close();
    }
  }

  @Test
  void theCanaryWasDeniedBeforeTheHostServedAndTheStatusSaysEnforced() throws IOException {
    Path instanceId = host.dataDir.resolve("instance-id").toRealPath();
    assertThat(log.text())
        .contains(
            "sandbox: enforced, the canary was denied [read ["
                + instanceId
                + "]: denied, start the process [true]: denied, set the system property"
                + " [cas.sandbox.canary]: denied]")
        .doesNotContain("the agent is not loaded");
    assertThat(System.getProperty("cas.sandbox.canary")).isNull();
    assertThat(host.get("/api/plugins/notes/status").data().get("sandbox").toString())
        .isEqualTo("{\"enforced\":true,\"denials\":0,\"byOperation\":{}}");
  }

  /**
   * The refusal, with the agent loaded: pointed at a file every plugin may read (the JDK's own,
   * under java.home), the canary's read is not denied, and the start check refuses.
   */
  @Test
  void theStartCheckRefusesWhenTheCanaryIsNotDenied() {
    Path readable = Path.of(System.getProperty("java.home"), "release");
    assertThatThrownBy(() -> HostSandbox.checkAtStart(readable))
        .isInstanceOf(HostSandbox.CanaryFailed.class)
        .hasMessage(
            "sandbox canary: read [" + readable + "] was not denied (it returned the file)");
  }

  @Test
  void deniedAttacksAreAuditedAndCountedAndTheHostGoesOnServing() throws Exception {
    Path secretKey = host.dataDir.resolve("secret.key").toRealPath();
    Path notesFolder = host.dataDir.resolve("plugins").resolve("notes").toRealPath();
    assertThat(spy("/read?path=" + encode(secretKey.toString())))
        .isEqualTo(
            "refused: plugin [spy] may not read ["
                + secretKey
                + "]: the plugin has no file system access");
    assertThat(spy("/read?path=" + encode(notesFolder + "/1.0.0/plugin.json")))
        .startsWith("refused: plugin [spy] may not read [" + notesFolder);
    assertThat(spy("/exec?arg=token-7c1d"))
        .isEqualTo(
            "refused: plugin [spy] may not start the process [sh -c echo token-7c1d]:"
                + " not allowed to plugins");
    assertThat(spy("/listener"))
        .isEqualTo(
            "refused: plugin [spy] may not change the sandbox through"
                + " [dev.cas.sandbox.checker.PolicyRegistry]: only the host may set the denial"
                + " listener");
    assertThat(spy("/property"))
        .isEqualTo(
            "refused: plugin [spy] may not set the system property [cas.spy]: not allowed to"
                + " plugins");
    assertThat(System.getProperty("cas.spy")).isNull();
    assertThat(spy("/env"))
        .isEqualTo(
            "refused: plugin [spy] may not read the environment variable [*]: not allowed to"
                + " plugins");

    JsonNode sandbox = host.get("/api/plugins/spy/status", operator).data().get("sandbox");
    assertThat(sandbox.toString())
        .isEqualTo(
            "{\"enforced\":true,\"denials\":6,\"byOperation\":{\"FILE_READ\":2,"
                + "\"PROCESS_START\":1,\"READ_ENVIRONMENT\":1,\"SANDBOX_ADMIN\":1,"
                + "\"SET_PROPERTY\":1}}");
    assertThat(host.get("/api/plugins/notes/status").data().get("sandbox").get("denials").asLong())
        .isZero();

    List<String> entries = deniedEntries("spy", 6);
    assertThat(entries)
        .containsExactly(
            "otto sandbox.denied spy denied FILE_READ ["
                + secretKey
                + "]: the plugin has no file system access",
            entries.get(1),
            "otto sandbox.denied spy denied PROCESS_START [sh …]: not allowed to plugins",
            "otto sandbox.denied spy denied SANDBOX_ADMIN [dev.cas.sandbox.checker.PolicyRegistry]:"
                + " only the host may set the denial listener",
            "otto sandbox.denied spy denied SET_PROPERTY [cas.spy]: not allowed to plugins",
            "otto sandbox.denied spy denied READ_ENVIRONMENT [*]: not allowed to plugins");
    assertThat(entries.get(1))
        .startsWith("otto sandbox.denied spy denied FILE_READ [" + notesFolder);
    String audit = host.get("/api/audit?limit=1000").text();
    assertThat(audit).doesNotContain("token-7c1d").doesNotContain(SECRET);

    assertThat(host.get("/api/health").status()).isEqualTo(200);
    assertThat(host.get("/api/plugins/notes/key-length", operator).text())
        .isEqualTo(String.valueOf(SECRET.length()));
  }

  /**
   * Issue 18's routes around the checker, in a real host: a plugin that declares nothing but its
   * routes hands method-handle proxies to the common pool and the JDK's shared schedulers (read the
   * host's secret key, another plugin's folder, the environment, exit the JVM), loads the host's
   * database driver through the system class loader, opens the host's database through
   * DriverManager (directly and on the pool), dumps the heap and taps the root logger. Each is
   * refused, counted and audited; the host goes on serving.
   */
  @Test
  void workOnTheCommonPoolHostClassesManagementAndLoggingAreRefused() throws Exception {
    TestHost.Response imported =
        host.importZip(
            new TestPlugins(tmp.resolve("build-outsider")).buildZip(OutsiderPlugin.spec()), "");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    Path secretKey = host.dataDir.resolve("secret.key").toRealPath();
    String denied = "refused: plugin [outsider] may not ";
    assertThat(outsider("/pool-read?path=" + encode(secretKey.toString())))
        .isEqualTo(denied + "read [" + secretKey + "]: the plugin has no file system access");
    assertThat(outsider("/delayed-read?path=" + encode(secretKey.toString())))
        .isEqualTo(denied + "read [" + secretKey + "]: the plugin has no file system access");
    assertThat(outsider("/scheduled-read?path=" + encode(secretKey.toString())))
        .isEqualTo(denied + "read [" + secretKey + "]: the plugin has no file system access");
    Path notesFile =
        Files.list(host.dataDir.resolve("plugins").resolve("notes"))
            .findFirst()
            .orElseThrow()
            .resolve("plugin.json")
            .toRealPath();
    assertThat(outsider("/pool-folder?path=" + encode(notesFile.toString())))
        .isEqualTo(denied + "read [" + notesFile + "]: the plugin has no file system access");
    String dbUrl = host.server.host().db().jdbcUrl();
    // The host's database through the JDBC driver on the host's class path, directly and on the
    // common pool: the driver is a host class the plugin's loader cannot see, so DriverManager has
    // none for it (and the plugin may connect nowhere anyway).
    assertThat(outsider("/db?url=" + encode(dbUrl)))
        .isEqualTo("refused: No suitable driver found for " + dbUrl);
    assertThat(outsider("/pool-db?url=" + encode(dbUrl)))
        .isEqualTo("refused: No suitable driver found for " + dbUrl);
    assertThat(outsider("/pool-env"))
        .isEqualTo(denied + "read the environment variable [*]: not allowed to plugins");
    assertThat(outsider("/pool-exit"))
        .isEqualTo(denied + "exit the JVM with status [7]: not allowed to plugins");
    assertThat(outsider("/host-class"))
        .isEqualTo(
            denied
                + "load the host class [org.postgresql.Driver]: plugins see only the plugin API"
                + " of the host");
    assertThat(outsider("/heap"))
        .isEqualTo(
            denied
                + "use the host-only JVM service"
                + " [java.lang.management.ManagementFactory.getPlatformMXBean]: management and"
                + " monitoring are the host's");
    assertThat(outsider("/root-logger"))
        .isEqualTo(
            denied
                + "configure the logger [root]: a plugin may configure only its own loggers"
                + " [plugin.outsider]");
    assertThat(Path.of("/tmp/outsider.hprof")).doesNotExist();

    JsonNode sandbox = host.get("/api/plugins/outsider/status", operator).data().get("sandbox");
    assertThat(sandbox.toString())
        .isEqualTo(
            "{\"enforced\":true,\"denials\":9,\"byOperation\":{\"EXIT\":1,\"FILE_READ\":4,"
                + "\"HOST_CLASS\":1,\"HOST_ONLY\":1,\"LOGGER\":1,\"READ_ENVIRONMENT\":1}}");
    List<String> entries = deniedEntries("outsider", 9);
    // Denied on the plugin's own call thread: the user it served. On the common pool the
    // request's user is not known to the audit (the task context names plugins, not users).
    assertThat(entries)
        .containsExactlyInAnyOrder(
            "system sandbox.denied outsider denied FILE_READ ["
                + secretKey
                + "]: the plugin has no file system access",
            "system sandbox.denied outsider denied FILE_READ ["
                + secretKey
                + "]: the plugin has no file system access",
            "system sandbox.denied outsider denied FILE_READ ["
                + secretKey
                + "]: the plugin has no file system access",
            "system sandbox.denied outsider denied FILE_READ ["
                + notesFile
                + "]: the plugin has no file system access",
            "system sandbox.denied outsider denied READ_ENVIRONMENT [*]: not allowed to plugins",
            "system sandbox.denied outsider denied EXIT [7]: not allowed to plugins",
            "otto sandbox.denied outsider denied HOST_CLASS [org.postgresql.Driver]: plugins see"
                + " only the plugin API of the host",
            "otto sandbox.denied outsider denied HOST_ONLY"
                + " [java.lang.management.ManagementFactory.getPlatformMXBean]: management and"
                + " monitoring are the host's",
            "otto sandbox.denied outsider denied LOGGER [root]: a plugin may configure only its"
                + " own loggers [plugin.outsider]");
    assertThat(host.get("/api/health").status()).isEqualTo(200);
    assertThat(host.get("/api/plugins/notes/key-length", operator).text())
        .isEqualTo(String.valueOf(SECRET.length()));
  }

  private static String outsider(String route) {
    TestHost.Response r = host.get("/api/plugins/outsider" + route, operator);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.text();
  }

  private static String spy(String route) {
    TestHost.Response r = host.get("/api/plugins/spy" + route, operator);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.text();
  }

  /**
   * A plugin's sandbox.denied entries, oldest first, once at least {@code n} are written (the audit
   * writes them asynchronously): {@code actor action target outcome detail}.
   */
  private static List<String> deniedEntries(String plugin, int n) {
    List<String> found = new ArrayList<>();
    Awaits.awaitUntil(
        () -> {
          found.clear();
          for (JsonNode e : host.get("/api/audit?plugin=" + plugin).data()) {
            if (e.get("action").asString().equals("sandbox.denied")) {
              found.add(
                  0,
                  String.join(
                      " ",
                      e.get("actor").asString(),
                      e.get("action").asString(),
                      e.get("target").asString(),
                      e.get("outcome").asString(),
                      e.get("detail").asString()));
            }
          }
          return found.size() >= n;
        });
    return found;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
