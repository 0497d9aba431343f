package dev.cas.server;

import static dev.cas.server.Awaits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cas.runtime.TestPlugins;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The health monitor on a real host with a short interval: a plugin whose checks fail is restarted
 * and recovers; one that stays down is restarted with back-off and then marked failed with the
 * reason; each step is an event, an audit entry and a metric; and the alerts reach a real HTTP
 * receiver (with its token, retried after a failed post). {@code GET /api/health} stays minimal for
 * anonymous callers and answers 503 when the database is down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthMonitorTest {

  static final String HOOK_TOKEN = "hook-token-5be1";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A request the receiver got. */
  record Received(String path, String authorization, JsonNode body, int answered) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  final AtomicInteger flakyCalls = new AtomicInteger();
  final List<String> events = new CopyOnWriteArrayList<>();
  HttpServer receiver;
  LogCapture log;
  TestHost host;
  TestPlugins plugins;
  Path tmp;

  static String plugin(String pkg, String health, String routes) {
    return """
        package test.%s;
        import dev.cas.plugin.api.*;
        public class Main implements Plugin {
          int activations;
          volatile boolean broken;
          public void initialize(PluginContext c) {
            c.routes().register("POST", "/break", r -> {
              broken = true;
              return HttpRoutes.Response.text(200, "broken");
            });
            %s
          }
          public void activate() { activations++; }
          public HealthStatus health() { %s }
        }
        """
        .formatted(pkg, routes, health);
  }

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    tmp = dir;
    log = LogCapture.start();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          if (path.equals("/stalled")) {
            // The third webhook answers later than alerts.timeout.seconds, every time.
            received.add(new Received(path, null, null, 0));
            try {
              Thread.sleep(3_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
          }
          // The second webhook fails its first post: the alert must be retried.
          int status = path.equals("/flaky") && flakyCalls.getAndIncrement() == 0 ? 500 : 204;
          received.add(
              new Received(
                  path,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  JSON.readTree(exchange.getRequestBody().readAllBytes()),
                  status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    int port = receiver.getAddress().getPort();
    String hooks =
        "http://127.0.0.1:%d/hook, http://127.0.0.1:%d/flaky,http://127.0.0.1:%d/stalled"
            .formatted(port, port, port);
    host =
        TestHost.start(
            tmp.resolve("host"),
            TestDatabases.freshEmbedded(),
            false,
            Map.of(
                "CAS_HEALTH_INTERVAL_SECONDS", "0.1",
                "CAS_HEALTH_FAILURES", "2",
                "CAS_HEALTH_RESTART_MAX", "2",
                "CAS_HEALTH_RESTART_BACKOFF_SECONDS", "0.2",
                "CAS_ALERTS_WEBHOOKS", hooks,
                "CAS_ALERTS_WEBHOOK_TOKEN", HOOK_TOKEN,
                "CAS_ALERTS_TIMEOUT_SECONDS", "0.5",
                "CAS_ALERTS_RETRIES", "2"));
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
    try {
      host.close();
      receiver.stop(0);
    } finally {
      log.close();
    }
  }

  void install(String id, String health, String routes) {
    TestHost.Response r =
        host.importZip(
            plugins.buildZip(
                TestPlugins.plugin(id)
                    .permissions("http.routes")
                    .main("test." + id + ".Main", plugin(id, health, routes))),
            "");
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  List<Received> alerts(String kind, String pluginId) {
    return received.stream()
        .filter(r -> r.body() != null)
        .filter(r -> r.body().get("alert").asString().equals(kind))
        .filter(r -> r.body().get("plugin").asString().equals(pluginId))
        .toList();
  }

  List<String> audit(String pluginId) {
    JsonNode entries = host.get("/api/audit?plugin=" + pluginId + "&limit=50").data();
    List<String> out = new java.util.ArrayList<>();
    entries.forEach(e -> out.add(e.get("action").asString() + " " + e.get("outcome").asString()));
    return out.reversed();
  }

  @Test
  void aPluginThatFailsItsChecksIsRestartedAndRecovers() {
    install(
        "recovering",
        "return !broken || activations >= 2 ? HealthStatus.ok()"
            + " : HealthStatus.unhealthy(\"cache cold\");",
        "");
    assertThat(host.post("/api/plugins/recovering/break", host.adminToken, null).status())
        .isEqualTo(200);
    awaitUntil(() -> audit("recovering").contains("health.restart restarted"));
    awaitUntil(
        () -> {
          JsonNode p = pluginHealth("recovering");
          return p != null && p.get("up").asBoolean();
        });
    assertThat(host.get("/api/plugins/recovering").data().get("state").asString())
        .isEqualTo("active");
    // Each listener gets its events on threads of its own: their order is the audit trail's.
    assertThat(events)
        .contains(
            "recovering host:plugin:unhealthy",
            "recovering host:plugin:unhealthy",
            "recovering host:plugin:restarting",
            "recovering host:plugin:inactive",
            "recovering host:plugin:active",
            "recovering host:plugin:restarted");
    assertThat(audit("recovering"))
        .containsSubsequence("health.restart restarting", "health.restart restarted");

    // The alert reached both webhooks with the token; the flaky one after a retry.
    awaitUntil(() -> alerts("plugin-restarting", "recovering").size() >= 2);
    Received alert = alerts("plugin-restarting", "recovering").getFirst();
    assertThat(alert.authorization()).isEqualTo("Bearer " + HOOK_TOKEN);
    assertThat(alert.body().get("message").asString())
        .isEqualTo(
            "plugin [recovering] is restarted by the health monitor: health check failed 2 times"
                + " in a row (last: cache cold)");
    awaitUntil(
        () -> received.stream().anyMatch(r -> r.path().equals("/flaky") && r.answered() == 204));
    assertThat(
            received.stream()
                .filter(r -> r.path().equals("/flaky"))
                .findFirst()
                .orElseThrow()
                .answered())
        .isEqualTo(500);

    var m = PrometheusText.parse(host.get("/metrics", host.adminToken).text());
    assertThat(
            PrometheusText.value(
                m,
                "cas_plugin_restarts_total",
                Map.of("plugin", "recovering", "outcome", "restarted")))
        .contains(1.0);
    assertThat(
            PrometheusText.value(
                m,
                "cas_plugin_health_checks_total",
                Map.of("plugin", "recovering", "result", "down")))
        .contains(2.0);
  }

  @Test
  void aRestartStopsTheActiveDependentsFirstAndStartsThemAgainAfter() {
    install(
        "base",
        "return !broken || activations >= 2 ? HealthStatus.ok() : HealthStatus.unhealthy(\"x\");",
        "");
    TestHost.Response leaf =
        host.importZip(
            plugins.buildZip(TestPlugins.simple("leaf").dependsOn("base", "^1.0.0")), "");
    assertThat(leaf.status()).as(leaf.text()).isEqualTo(201);
    assertThat(host.post("/api/plugins/base/break", host.adminToken, null).status()).isEqualTo(200);
    awaitUntil(() -> audit("base").contains("health.restart restarted"));
    assertThat(events).contains("leaf host:plugin:inactive", "leaf host:plugin:active");
    assertThat(host.get("/api/plugins/base").data().get("state").asString()).isEqualTo("active");
    assertThat(host.get("/api/plugins/leaf").data().get("state").asString()).isEqualTo("active");
  }

  @Test
  void aPluginThatStaysDownIsRestartedWithBackOffThenMarkedFailed() {
    install(
        "sinking",
        "return broken ? HealthStatus.unhealthy(\"disk gone\") : HealthStatus.ok();",
        "");
    assertThat(host.post("/api/plugins/sinking/break", host.adminToken, null).status())
        .isEqualTo(200);
    String reason =
        "the health monitor gave up after 2 restarts: health check failed 2 times in a row (last:"
            + " disk gone)";
    awaitUntil(
        () -> host.get("/api/plugins/sinking").data().get("state").asString().equals("failed"));
    JsonNode info = host.get("/api/plugins/sinking").data();
    assertThat(info.toString()).contains(reason);
    assertThat(events)
        .contains(
            "sinking host:plugin:restarting",
            "sinking host:plugin:restarted",
            "sinking host:plugin:restarting",
            "sinking host:plugin:restarted",
            "sinking host:plugin:restarts-exhausted",
            "sinking host:plugin:inactive",
            "sinking host:plugin:failed");
    assertThat(audit("sinking"))
        .containsSubsequence(
            "health.restart restarting",
            "health.restart restarted",
            "health.restart restarting",
            "health.restart restarted",
            "health.fail failed");
    awaitUntil(() -> alerts("plugin-failed", "sinking").size() >= 2);
    assertThat(alerts("plugin-failed", "sinking").getFirst().body().get("message").asString())
        .isEqualTo("plugin [sinking] failed: " + reason);
    var m = PrometheusText.parse(host.get("/metrics", host.adminToken).text());
    assertThat(
            PrometheusText.value(
                m,
                "cas_plugin_restarts_total",
                Map.of("plugin", "sinking", "outcome", "restarted")))
        .contains(2.0);
    assertThat(
            PrometheusText.value(
                m, "cas_plugin_state", Map.of("plugin", "sinking", "state", "failed")))
        .contains(1.0);
    // Failed plugins are an operator's: the monitor does not touch it again.
    int restarts = alerts("plugin-restarting", "sinking").size();
    assertThat(host.get("/api/plugins/sinking").data().get("state").asString()).isEqualTo("failed");
    assertThat(alerts("plugin-restarting", "sinking")).hasSize(restarts);
  }

  @Test
  void aWebhookThatDoesNotAnswerInTimeIsRetriedThenLoggedWithoutItsUrl() {
    install(
        "watched", "return broken ? HealthStatus.unhealthy(\"stuck\") : HealthStatus.ok();", "");
    assertThat(host.post("/api/plugins/watched/break", host.adminToken, null).status())
        .isEqualTo(200);
    String expected =
        "alert [plugin-restarting] not delivered to webhook #3 after 3 attempts (last:"
            + " HttpTimeoutException)";
    awaitUntil(() -> log.text().contains(expected));
    // Both other webhooks got it meanwhile: a stalled receiver holds up no other.
    assertThat(alerts("plugin-restarting", "watched")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(log.text())
        .doesNotContain("/stalled")
        .doesNotContain("127.0.0.1:" + receiver.getAddress().getPort())
        .doesNotContain(HOOK_TOKEN);
  }

  @Test
  void failingCallsAlertOnTheErrorRate() {
    install(
        "erring",
        "return HealthStatus.ok();",
        "c.routes().register(\"GET\", \"/fail\", r -> { throw new IllegalStateException(\"no\"); });");
    for (int i = 0; i < 12; i++) {
      assertThat(host.get("/api/plugins/erring/fail").status()).isEqualTo(500);
    }
    awaitUntil(() -> !alerts("error-rate", "erring").isEmpty());
    JsonNode alert = alerts("error-rate", "erring").getFirst().body();
    assertThat(alert.get("message").asString())
        .matches(
            "plugin \\[erring\\]: [0-9]+ of [0-9]+ calls failed in the last 60 s \\(threshold"
                + " 0.50\\)");
    assertThat(alert.get("details").get("errors").asLong()).isBetween(10L, 12L);
  }

  @Test
  void healthIsMinimalForLoadBalancersAndDetailedForSignedInCallers() {
    install("steady", "return HealthStatus.ok();", "");
    TestHost.Response anonymous = host.get("/api/health", null);
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.data().toString()).isEqualTo("{\"status\":\"up\"}");
    awaitUntil(() -> pluginHealth("steady") != null && pluginHealth("steady").has("checkedAt"));
    JsonNode steady = pluginHealth("steady");
    assertThat(steady.get("state").asString()).isEqualTo("active");
    assertThat(steady.get("up").asBoolean()).isTrue();
    assertThat(steady.get("detail").asString()).isEqualTo("ok");
  }

  @Test
  void aHealthCheckThatHangsIsDownAtTheLifecycleTimeout(@TempDir Path dir) {
    try (TestHost own =
        TestHost.start(
            dir.resolve("host"),
            TestDatabases.freshEmbedded(),
            false,
            Map.of(
                "CAS_LIFECYCLE_TIMEOUT_SECONDS", "1",
                "CAS_HEALTH_INTERVAL_SECONDS", "0.1",
                "CAS_HEALTH_FAILURES", "2"))) {
      TestHost.Response r =
          own.importZip(
              new TestPlugins(dir.resolve("build"))
                  .buildZip(
                      TestPlugins.plugin("hanging")
                          .permissions("http.routes")
                          .main(
                              "test.hanging.Main",
                              plugin(
                                  "hanging",
                                  "while (broken) { Thread.onSpinWait(); }"
                                      + " return HealthStatus.ok();",
                                  ""))),
              "");
      assertThat(r.status()).as(r.text()).isEqualTo(201);
      assertThat(own.post("/api/plugins/hanging/break", own.adminToken, null).status())
          .isEqualTo(200);
      String expected =
          "restart 1 of at most 3: health check failed 2 times in a row (last: plugin [hanging]"
              + " main class [test.hanging.Main] did not finish health within 1000 ms)";
      awaitUntil(() -> own.get("/api/audit?plugin=hanging&limit=50").text().contains(expected));
    }
  }

  @Test
  void healthAnswers503WhileTheDatabaseIsDown(@TempDir Path dir) {
    String url = TestDatabases.freshEmbedded();
    try (TestHost own = TestHost.start(dir, url, false, Map.of())) {
      String name = url.replaceFirst("^jdbc:postgresql://[^/]*/", "").replaceFirst("\\?.*$", "");
      String admin = url.replace("/" + name + "?", "/postgres?");
      assertThat(own.get("/api/health", null).status()).isEqualTo(200);
      TestDatabases.exec(admin, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
      try {
        TestDatabases.exec(
            admin,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + name
                + "'");
        // The probe runs at most once a second: the next one sees the database gone.
        awaitUntil(() -> own.get("/api/health", null).status() == 503);
        TestHost.Response down = own.get("/api/health", null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.data().toString()).isEqualTo("{\"status\":\"down\"}");
        assertThat(down.json().get("message").asString())
            .isEqualTo("the host's database does not answer");
      } finally {
        TestDatabases.exec(admin, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
      }
      awaitUntil(() -> own.get("/api/health", null).status() == 200);
    }
  }

  JsonNode pluginHealth(String id) {
    TestHost.Response r = host.get("/api/health");
    for (JsonNode p : r.data().get("plugins")) {
      if (p.get("id").asString().equals(id)) {
        return p;
      }
    }
    return null;
  }
}
