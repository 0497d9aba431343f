package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * After an upgrade switched to the new version, the host watches it ({@code
 * upgrade.observe.seconds}); a health check that turns down, or too many failing route calls,
 * switch the old version back in and roll the new migrations back, while requests keep being
 * answered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthGateTest {

  Path tmp;
  TestHost host;
  TestPlugins plugins;

  @BeforeAll
  void start(@TempDir Path dir) {
    tmp = dir;
    host =
        TestHost.start(
            tmp.resolve("host"),
            TestDatabases.freshEmbedded(),
            false,
            Map.of("CAS_UPGRADE_OBSERVE_SECONDS", "2"));
    plugins = new TestPlugins(tmp.resolve("build"));
  }

  @AfterAll
  void stop() {
    host.close();
  }

  /** Answers its version on /ping; {@code health} and {@code ping} are the bodies to vary. */
  static TestPlugins.Spec gated(String version, String health, String ping) {
    return TestPlugins.plugin("gated")
        .version(version)
        .permissions("http.routes", "database.read")
        .tables("items")
        .migration("001_items.sql", "CREATE TABLE items (id INT);", "DROP TABLE items;")
        .main(
            "test.gated.Main",
            """
            package test.gated;
            import dev.cas.plugin.api.*;
            public class Main implements Plugin {
              private final java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
              public void initialize(PluginContext c) {
                c.routes().register("GET", "/ping", r -> { %s });
              }
              public HealthStatus health() { %s }
            }
            """
                .formatted(ping, health));
  }

  static final String UP = "return HealthStatus.ok();";
  static final String PONG =
      "return HttpRoutes.Response.text(200, \"pong \" + getClass().getPackageName() + \" VERSION\");";

  TestPlugins.Spec v1() {
    return gated("1.0.0", UP, PONG.replace("VERSION", "1.0.0"));
  }

  TestPlugins.Spec v2(String health, String ping) {
    return gated("2.0.0", health, ping)
        .tables("extra")
        .migration("002_extra.sql", "CREATE TABLE extra (id INT);", "DROP TABLE extra;");
  }

  @Test
  void healthThatTurnsDownWhileWatchedRollsTheUpgradeBack() throws Exception {
    assertThat(host.importZip(plugins.buildZip(v1()), "").status()).isEqualTo(201);
    try {
      HostSnapshot before = HostSnapshot.of(host, true);
      Path upgrade =
          plugins.buildZip(
              v2(
                  "return checks.incrementAndGet() < 3 ? HealthStatus.ok()"
                      + " : HealthStatus.unhealthy(\"lost its index\");",
                  PONG.replace("VERSION", "2.0.0")));
      CompletableFuture<TestHost.Response> upgrading =
          CompletableFuture.supplyAsync(() -> host.importZip(upgrade, "?upgrade=true"));
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger answered = new AtomicInteger();
      while (!upgrading.isDone()) {
        TestHost.Response ping = host.get("/api/plugins/gated/ping");
        answered.incrementAndGet();
        if (ping.status() != 200) {
          failed.incrementAndGet();
        }
      }
      TestHost.Response r = upgrading.get();

      assertThat(r.status()).as(r.text()).isEqualTo(422);
      assertThat(r.errorCode()).isEqualTo("UNHEALTHY");
      assertThat(r.json().get("message").asString())
          .isEqualTo(
              "plugin [gated] was upgraded but its health check failed while it was watched:"
                  + " lost its index");
      assertThat(failed.get()).as("failed of %s requests", answered.get()).isZero();
      assertThat(host.get("/api/plugins/gated/ping").text()).endsWith("1.0.0");
      assertThat(HostSnapshot.of(host, true)).isEqualTo(before);
    } finally {
      assertThat(host.delete("/api/plugins/gated?purgeData=true").status()).isEqualTo(200);
    }
  }

  @Test
  void routeErrorsWhileWatchedRollTheUpgradeBack() throws Exception {
    assertThat(host.importZip(plugins.buildZip(v1()), "").status()).isEqualTo(201);
    try {
      HostSnapshot before = HostSnapshot.of(host, true);
      Path upgrade =
          plugins.buildZip(v2(UP, "throw new IllegalStateException(\"broken in 2.0.0\");"));
      CompletableFuture<TestHost.Response> upgrading =
          CompletableFuture.supplyAsync(() -> host.importZip(upgrade, "?upgrade=true"));
      while (!upgrading.isDone()) {
        host.get("/api/plugins/gated/ping");
      }
      TestHost.Response r = upgrading.get();

      assertThat(r.status()).as(r.text()).isEqualTo(422);
      assertThat(r.errorCode()).isEqualTo("UNHEALTHY");
      assertThat(r.json().get("message").asString())
          .startsWith("plugin [gated] was upgraded but ")
          .endsWith(
              " route calls failed while it was watched (more than 50 %); switched back to the old version");
      assertThat(host.get("/api/plugins/gated/ping").text()).endsWith("1.0.0");
      assertThat(HostSnapshot.of(host, true)).isEqualTo(before);
    } finally {
      assertThat(host.delete("/api/plugins/gated?purgeData=true").status()).isEqualTo(200);
    }
  }
}
