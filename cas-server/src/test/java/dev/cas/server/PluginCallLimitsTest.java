package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Layer 3 over HTTP: a spinning route answers 504 at the deadline while other plugins keep serving,
 * the status shows the plugin's usage, and a repeated offender is deactivated with the reason in
 * its status and the audit trail.
 */
class PluginCallLimitsTest {

  private static final String SPINNER =
      """
      package test.spinner;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        static volatile long sink;
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/spin", r -> {
            while (true) {
              try { sink++; } catch (Throwable t) { sink--; }
            }
          });
          c.routes().register("GET", "/busy", r -> {
            long x = 0;
            for (int i = 0; i < 2_000_000; i++) { x += i % 7; }
            return HttpRoutes.Response.text(200, "busy " + x);
          });
        }
      }
      """;

  @TempDir Path tmp;

  @Test
  void spinningRouteAnswers504AndRepeatedOffenderIsDeactivatedAndAudited() throws Exception {
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    try (TestHost host =
        TestHost.start(
            tmp.resolve("host"),
            TestDatabases.freshEmbedded(),
            false,
            Map.of("CAS_PLUGIN_CALL_DEADLINE_MS", "500"))) {
      assertThat(
              host.importZip(
                      plugins.buildZip(
                          TestPlugins.plugin("spinner")
                              .permissions("http.routes")
                              .main("test.spinner.Main", SPINNER)),
                      "")
                  .status())
          .isEqualTo(201);
      assertThat(host.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
          .isEqualTo(201);

      // Well inside the 500 ms deadline even on a busy machine: a 504 here would be a strike.
      assertThat(host.get("/api/plugins/spinner/busy").text()).startsWith("busy ");
      JsonNode usage = host.get("/api/plugins/spinner/status").data().get("usage");
      assertThat(usage.get("cpuMillis").asLong()).isPositive();
      assertThat(usage.get("limits").get("routeDeadlineMillis").asLong()).isEqualTo(500);
      assertThat(usage.get("limits").get("maxConcurrentCalls").asInt()).isEqualTo(64);
      assertThat(usage.get("limits").get("bytesPerCall").isNull()).isTrue();

      for (int i = 1; i <= 3; i++) {
        TestHost.Response spun = host.get("/api/plugins/spinner/spin");
        assertThat(spun.status()).as(spun.text()).isEqualTo(504);
        assertThat(spun.errorCode()).isEqualTo("CALL_DEADLINE");
        assertThat(spun.json().get("message").asString())
            .isEqualTo(
                "plugin [spinner] route call passed its deadline of 500 ms and was stopped (GET"
                    + " /spin)");
        // The host keeps serving other plugins.
        assertThat(host.get("/api/plugins/notes/greeting").text()).isEqualTo("hi");
      }

      String reason =
          "deactivated by the host: 3 deadline kills or budget breaches within 300 s; last: plugin"
              + " [spinner] route call passed its deadline of 500 ms and was stopped";
      JsonNode status = awaitState(host, "spinner", "inactive");
      assertThat(status.get("failure").asString()).isEqualTo(reason);
      assertThat(status.get("usage").get("timeouts").asLong()).isEqualTo(3);
      assertThat(host.get("/api/plugins/spinner/spin").status()).isEqualTo(503);

      JsonNode entry = awaitAudit(host, "spinner");
      assertThat(entry.get("actor").asString()).isEqualTo("system");
      assertThat(entry.get("action").asString()).isEqualTo("deactivate");
      assertThat(entry.get("outcome").asString()).isEqualTo("over-budget");
      assertThat(entry.get("detail").asString()).isEqualTo(reason);
    }
  }

  private static JsonNode awaitState(TestHost host, String id, String state)
      throws InterruptedException {
    JsonNode data = null;
    for (int i = 0; i < 200; i++) {
      data = host.get("/api/plugins/" + id + "/status").data();
      if (data.get("state").asString().equals(state)) {
        return data;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("plugin [" + id + "] did not become " + state + ": " + data);
  }

  private static JsonNode awaitAudit(TestHost host, String id) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      for (JsonNode e : host.get("/api/audit?plugin=" + id).data()) {
        if (e.get("outcome").asString().equals("over-budget")) {
          return e;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no over-budget audit entry for plugin [" + id + "]");
  }

  @Test
  void callsOverTheConcurrencyLimitAnswer429() throws Exception {
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    try (TestHost host =
        TestHost.start(
            tmp.resolve("host"),
            TestDatabases.freshEmbedded(),
            false,
            Map.of("CAS_PLUGIN_CALL_MAX_CONCURRENT", "1", "CAS_PLUGIN_CALL_DEADLINE_MS", "5000"))) {
      assertThat(
              host.importZip(
                      plugins.buildZip(
                          TestPlugins.plugin("slow")
                              .permissions("http.routes")
                              .main(
                                  "test.slow.Main",
                                  """
                                  package test.slow;
                                  import dev.cas.plugin.api.*;
                                  public class Main implements Plugin {
                                    public void initialize(PluginContext c) {
                                      c.routes().register("GET", "/slow", r -> {
                                        Thread.sleep(3_000);
                                        return HttpRoutes.Response.text(200, "done");
                                      });
                                    }
                                  }
                                  """)),
                      "")
                  .status())
          .isEqualTo(201);
      var first = CompletableFuture.supplyAsync(() -> host.get("/api/plugins/slow/slow"));
      for (int i = 0;
          i < 100
              && host.get("/api/plugins/slow/status").data().get("usage").get("inFlight").asInt()
                  < 1;
          i++) {
        Thread.sleep(20);
      }

      TestHost.Response refused = host.get("/api/plugins/slow/slow");
      assertThat(refused.status()).as(refused.text()).isEqualTo(429);
      assertThat(refused.errorCode()).isEqualTo("CALL_REJECTED");
      assertThat(refused.json().get("message").asString())
          .isEqualTo(
              "plugin [slow] has 1 calls in flight already, its maximum; GET /slow refused, try"
                  + " again later");
      assertThat(first.get(10, TimeUnit.SECONDS).text()).isEqualTo("done");
      assertThat(host.get("/api/plugins/slow/status").data().get("usage").get("rejected").asLong())
          .isEqualTo(1);
    }
  }
}
