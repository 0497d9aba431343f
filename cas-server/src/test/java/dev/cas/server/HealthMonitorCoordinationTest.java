package dev.cas.server;

import static dev.cas.server.Awaits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The health monitor among other plugins and operations: a plugin whose {@code health()} hangs (up
 * to a lifecycle timeout far longer than the test needs) holds up neither another plugin's checks
 * nor its restart; and a plugin with an upgrade in progress (held in its migration by a lock this
 * test owns) is not restarted however often its old version fails its checks, while deactivating it
 * is refused as an operation in progress.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthMonitorCoordinationTest {

  /** Holds the migration of the upgrade while the test looks (a PostgreSQL advisory lock). */
  static final long MIGRATION_GATE = 4242;

  final List<String> events = new CopyOnWriteArrayList<>();
  String url;
  TestHost host;
  TestPlugins plugins;

  static String plugin(String pkg, String health) {
    return """
        package test.%s;
        import dev.cas.plugin.api.*;
        public class Main implements Plugin {
          int activations;
          volatile boolean broken;
          volatile boolean hanging;
          public void initialize(PluginContext c) {
            c.routes().register("POST", "/break", r -> {
              broken = true;
              return HttpRoutes.Response.text(200, "broken");
            });
            c.routes().register("GET", "/hanging", r -> HttpRoutes.Response.text(200, "" + hanging));
          }
          public void activate() { activations++; }
          public HealthStatus health() { %s }
        }
        """
        .formatted(pkg, health);
  }

  @BeforeAll
  void start(@TempDir Path tmp) {
    url = TestDatabases.freshEmbedded();
    host =
        TestHost.start(
            tmp.resolve("host"),
            url,
            false,
            Map.of(
                // A hung check ends at this timeout only: far later than anything awaited here.
                "CAS_LIFECYCLE_TIMEOUT_SECONDS", "120",
                "CAS_HEALTH_INTERVAL_SECONDS", "0.1",
                "CAS_HEALTH_FAILURES", "2",
                "CAS_HEALTH_RESTART_BACKOFF_SECONDS", "0.2",
                "CAS_UPGRADE_OBSERVE_SECONDS", "0"));
    host.server
        .host()
        .runtime()
        .events()
        .subscribe(
            "test", "host:plugin:*", e -> events.add(e.payload().get("id") + " " + e.name()));
    plugins = new TestPlugins(tmp.resolve("build"));
  }

  @AfterAll
  void stop() {
    host.close();
  }

  void install(TestPlugins.Spec spec) {
    TestHost.Response r = host.importZip(plugins.buildZip(spec), "");
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  static TestPlugins.Spec spec(String id, String health) {
    return TestPlugins.plugin(id)
        .permissions("http.routes")
        .main("test." + id + ".Main", plugin(id, health));
  }

  List<String> audit(String pluginId) {
    JsonNode entries = host.get("/api/audit?plugin=" + pluginId + "&limit=50").data();
    List<String> out = new java.util.ArrayList<>();
    entries.forEach(e -> out.add(e.get("action").asString() + " " + e.get("outcome").asString()));
    return out;
  }

  long eventsOf(String id, String name) {
    return events.stream().filter(e -> e.equals(id + " host:plugin:" + name)).count();
  }

  @Test
  void aCheckThatHangsHoldsUpNoOtherPluginsRestart() {
    install(
        spec(
            "stuck",
            "if (broken) { hanging = true; try { Thread.sleep(600_000); }"
                + " catch (InterruptedException e) { Thread.currentThread().interrupt(); } }"
                + " return HealthStatus.ok();"));
    install(
        spec(
            "faulty",
            "return !broken || activations >= 2 ? HealthStatus.ok()"
                + " : HealthStatus.unhealthy(\"queue full\");"));
    assertThat(host.post("/api/plugins/stuck/break", host.adminToken, null).status())
        .isEqualTo(200);
    awaitUntil(() -> host.get("/api/plugins/stuck/hanging", host.adminToken).text().equals("true"));

    assertThat(host.post("/api/plugins/faulty/break", host.adminToken, null).status())
        .isEqualTo(200);
    awaitUntil(() -> audit("faulty").contains("health.restart restarted"));

    // The restart came while stuck's check still hangs: that check has not ended, down or up.
    assertThat(host.get("/api/plugins/stuck/hanging", host.adminToken).text()).isEqualTo("true");
    assertThat(eventsOf("stuck", "unhealthy")).isZero();
    assertThat(audit("stuck")).doesNotContain("health.restart restarting");
    assertThat(host.get("/api/plugins/faulty").data().get("state").asString()).isEqualTo("active");
  }

  @Test
  void aPluginIsNotRestartedWhileAnUpgradeOfItRuns() throws Exception {
    String failing = "return broken ? HealthStatus.unhealthy(\"disk gone\") : HealthStatus.ok();";
    install(spec("upgrading", failing).version("1.0.0"));
    TestPlugins.Spec next =
        spec("upgrading", failing)
            .version("1.1.0")
            .migration(
                "001_wait.sql",
                "SELECT pg_advisory_xact_lock(" + MIGRATION_GATE + ");",
                "SELECT 1;");
    Path zip = plugins.buildZip(next);
    CompletableFuture<TestHost.Response> upgrade;
    try (Connection gate = DriverManager.getConnection(url)) {
      query(gate, "SELECT pg_advisory_lock(" + MIGRATION_GATE + ")");
      upgrade = CompletableFuture.supplyAsync(() -> host.importZip(zip, "?upgrade=true"));
      // The upgrade holds the plugin's operation lock and waits in its migration.
      awaitUntil(() -> upgrade.isDone() || waitersOnGate(gate) > 0);
      assertThat(upgrade).as(() -> upgrade.join().text()).isNotDone();
      assertThat(host.post("/api/plugins/upgrading/break", host.adminToken, null).status())
          .isEqualTo(200);
      // The old version keeps failing: often enough for several restarts without the lock.
      awaitUntil(() -> eventsOf("upgrading", "unhealthy") >= 6);
      assertThat(eventsOf("upgrading", "restarting")).isZero();
      assertThat(audit("upgrading")).noneMatch(a -> a.startsWith("health."));

      TestHost.Response refused =
          host.post("/api/plugins/upgrading/deactivate", host.adminToken, null);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().get("message").asString())
          .isEqualTo("another operation on plugin [upgrading] is running; try again when it ends");

      query(gate, "SELECT pg_advisory_unlock(" + MIGRATION_GATE + ")");
    }
    TestHost.Response upgraded = upgrade.join();
    assertThat(upgraded.status()).as(upgraded.text()).isEqualTo(201);
    JsonNode info = host.get("/api/plugins/upgrading").data();
    assertThat(info.get("version").asString()).isEqualTo("1.1.0");
    assertThat(info.get("state").asString()).isEqualTo("active");
    assertThat(eventsOf("upgrading", "restarting")).isZero();

    // Once the operation is over, the monitor restarts the new version when it fails.
    assertThat(host.post("/api/plugins/upgrading/break", host.adminToken, null).status())
        .isEqualTo(200);
    awaitUntil(() -> audit("upgrading").contains("health.restart restarting"));
  }

  static long waitersOnGate(Connection c) {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    + " AND objid = "
                    + MIGRATION_GATE)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void query(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
