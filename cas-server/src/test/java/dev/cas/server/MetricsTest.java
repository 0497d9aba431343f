package dev.cas.server;

import static dev.cas.server.Awaits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on a real host: refused without an admin's token or the scrape token, and in
 * the Prometheus text format (checked by a strict parser) with the plugins' route calls per route
 * template, their layer-3 CPU and allocation, states, health checks, the JVM, the HTTP server, the
 * database pools and imports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {

  static final String SCRAPE_TOKEN = "scrape-secret-7f3a9c";

  static final String METERED =
      """
      package test.metered;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/items/{id}", r ->
              HttpRoutes.Response.text(200, "item " + r.pathParams().get("id")));
          c.routes().register("GET", "/boom", r -> { throw new IllegalStateException("boom"); });
          c.routes().register("GET", "/slow", r -> {
            try { Thread.sleep(10_000); } catch (InterruptedException e) { }
            return HttpRoutes.Response.text(200, "late");
          });
        }
      }
      """;

  TestHost host;

  @BeforeAll
  void start(@TempDir Path tmp) {
    host =
        TestHost.start(
            tmp.resolve("host"),
            TestDatabases.freshEmbedded(),
            false,
            Map.of(
                "CAS_METRICS_TOKEN", SCRAPE_TOKEN,
                "CAS_PLUGIN_CALL_MAX_CONCURRENT", "1",
                "CAS_PLUGIN_CALL_DEADLINE_MS", "5000",
                "CAS_HEALTH_INTERVAL_SECONDS", "0.2"));
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    TestHost.Response r =
        host.importZip(
            plugins.buildZip(
                TestPlugins.plugin("metered")
                    .permissions("http.routes")
                    .main("test.metered.Main", METERED)),
            "");
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    host.close();
  }

  @Test
  void scrapingNeedsAnAdminOrTheScrapeToken() {
    TestHost.Response none = host.get("/metrics", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.text())
        .isEqualTo(
            "authentication required: send Authorization: Bearer <an admin's token or"
                + " metrics.token>\n");
    TestHost.Response wrong = host.get("/metrics", SCRAPE_TOKEN + "x");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.text()).isEqualTo("the token is unknown or expired\n");
    TestHost.Response user = host.get("/metrics", host.userToken("watcher", "operator"));
    assertThat(user.status()).isEqualTo(403);
    assertThat(user.text()).isEqualTo("user [watcher] lacks role [admin] for GET /metrics\n");

    TestHost.Response admin = host.get("/metrics", host.adminToken);
    assertThat(admin.status()).isEqualTo(200);
    assertThat(admin.headers().firstValue("content-type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    TestHost.Response scraper = host.get("/metrics", SCRAPE_TOKEN);
    assertThat(scraper.status()).isEqualTo(200);
    // The scrape token is a secret: it is in no label, no help text, no answer.
    assertThat(scraper.text()).doesNotContain(SCRAPE_TOKEN).doesNotContain("scrape-secret");
  }

  @Test
  void pluginRouteCallsAreCountedPerRouteTemplate() throws Exception {
    for (int i = 1; i <= 3; i++) {
      assertThat(host.get("/api/plugins/metered/items/" + i).status()).isEqualTo(200);
    }
    assertThat(host.get("/api/plugins/metered/boom").status()).isEqualTo(500);
    // One slow call holds the only slot until its deadline; a call meanwhile is refused. The
    // refused call goes only once the slow one is in flight (no call of the test races it for the
    // slot: on a busy machine a poll could take the slot first and the slow call be refused).
    CompletableFuture<TestHost.Response> slow =
        CompletableFuture.supplyAsync(() -> host.get("/api/plugins/metered/slow"));
    awaitUntil(
        () ->
            PrometheusText.value(
                        PrometheusText.parse(host.get("/metrics", SCRAPE_TOKEN).text()),
                        "cas_plugin_calls_in_flight",
                        Map.of("plugin", "metered"))
                    .orElse(0.0)
                == 1);
    int[] itemsOk = {3};
    TestHost.Response refused = host.get("/api/plugins/metered/items/9");
    assertThat(refused.status()).as(refused.text()).isEqualTo(429);
    assertThat(slow.get(60, TimeUnit.SECONDS).status()).isEqualTo(504);

    String scrape = host.get("/metrics", SCRAPE_TOKEN).text();
    // Kept for a second opinion from another parser (BENCHMARKS.md / the report name which).
    java.nio.file.Files.writeString(Path.of("target", "metrics-scrape.txt"), scrape);
    var m = PrometheusText.parse(scrape);
    Map<String, String> items =
        Map.of("plugin", "metered", "method", "GET", "route", "/items/{id}");
    assertThat(m.get("cas_plugin_calls_total").type()).isEqualTo("counter");
    assertThat(value(m, "cas_plugin_calls_total", items)).isEqualTo(itemsOk[0] + 1);
    assertThat(value(m, "cas_plugin_call_rejections_total", items)).isEqualTo(1);
    assertThat(value(m, "cas_plugin_call_errors_total", items)).isZero();
    assertThat(m.get("cas_plugin_call_duration_seconds").type()).isEqualTo("histogram");
    assertThat(value(m, "cas_plugin_call_duration_seconds_count", items)).isEqualTo(itemsOk[0]);
    Map<String, String> boom = Map.of("plugin", "metered", "route", "/boom");
    assertThat(value(m, "cas_plugin_calls_total", boom)).isEqualTo(1);
    assertThat(value(m, "cas_plugin_call_errors_total", boom)).isEqualTo(1);
    Map<String, String> slowRoute = Map.of("plugin", "metered", "route", "/slow");
    assertThat(value(m, "cas_plugin_call_timeouts_total", slowRoute)).isEqualTo(1);
    assertThat(value(m, "cas_plugin_call_errors_total", slowRoute)).isEqualTo(1);
    // No series per request path: /items/1, /items/2 … are one route.
    assertThat(m.get("cas_plugin_calls_total").samples())
        .noneMatch(s -> s.labels().getOrDefault("route", "").matches(".*/[0-9]+$"));

    // Layer-3 accounting, state, health checks.
    Map<String, String> plugin = Map.of("plugin", "metered");
    assertThat(value(m, "cas_plugin_cpu_seconds_total", plugin)).isPositive();
    assertThat(value(m, "cas_plugin_allocated_bytes_total", plugin)).isPositive();
    assertThat(value(m, "cas_plugin_state", Map.of("plugin", "metered", "state", "active")))
        .isEqualTo(1);
    assertThat(value(m, "cas_plugin_state", Map.of("plugin", "metered", "state", "failed")))
        .isZero();
    awaitUntil(
        () ->
            PrometheusText.value(
                        PrometheusText.parse(host.get("/metrics", SCRAPE_TOKEN).text()),
                        "cas_plugin_health_checks_total",
                        Map.of("plugin", "metered", "result", "up"))
                    .orElse(0.0)
                > 0);
  }

  @Test
  void hostMetricsCoverTheJvmHttpServerPoolsAndImports() {
    host.get("/api/plugins");
    var m = PrometheusText.parse(host.get("/metrics", host.adminToken).text());
    assertThat(m)
        .containsKeys(
            "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");
    assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_gc_"));
    assertThat(
            value(
                m,
                "cas_http_server_requests_seconds_count",
                Map.of("method", "GET", "status", "200")))
        .isPositive();
    assertThat(value(m, "hikaricp_connections_max", Map.of("pool", "cas-admin"))).isPositive();
    assertThat(
            value(
                m,
                "cas_plugin_imports_seconds_count",
                Map.of("kind", "install", "outcome", "installed")))
        .isGreaterThanOrEqualTo(1); // another test of the class installs one more
  }

  @Test
  void anUninstalledPluginLeavesNoSeries(@TempDir Path build) {
    TestHost.Response r =
        host.importZip(
            new TestPlugins(build)
                .buildZip(
                    TestPlugins.plugin("fleeting")
                        .permissions("http.routes")
                        .main("test.metered.Main", METERED)),
            "");
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    assertThat(host.get("/api/plugins/fleeting/items/1").status()).isEqualTo(200);
    assertThat(host.get("/metrics").text()).contains("plugin=\"fleeting\"");
    assertThat(host.delete("/api/plugins/fleeting").status()).isEqualTo(200);
    String after = host.get("/metrics").text();
    PrometheusText.parse(after);
    assertThat(after).doesNotContain("plugin=\"fleeting\"");
  }

  @Test
  void theParserRefusesWhatPrometheusWould() {
    assertThatThrownBy(() -> PrometheusText.parse("a{b=\"1\"} 1\na{b=\"1\"} 2\n"))
        .hasMessage("line 2: duplicate series a{b=1}");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE a counter\n# TYPE a gauge\n"))
        .hasMessage("line 2: second TYPE line for [a]");
    assertThatThrownBy(() -> PrometheusText.parse("a 1\nb 1\na{x=\"y\"} 2\n"))
        .hasMessage("line 3: family [a] appears in two groups");
    assertThatThrownBy(() -> PrometheusText.parse("1a 1\n"))
        .hasMessage("line 1: bad metric name [1a]");
    assertThatThrownBy(() -> PrometheusText.parse("a one\n")).hasMessage("line 1: bad value [one]");
    assertThatThrownBy(
            () ->
                PrometheusText.parse(
                    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"))
        .hasMessage("h{}: buckets not cumulative");
  }

  private static double value(
      Map<String, PrometheusText.Family> m, String name, Map<String, String> labels) {
    return PrometheusText.value(m, name, labels)
        .orElseThrow(() -> new AssertionError("no sample " + name + labels));
  }
}
