package dev.cas.server;

import static dev.cas.server.Awaits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.cas.runtime.TestPlugins;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With the sandbox agent (failsafe's JVM): a plugin's sandbox denials are counted per operation at
 * {@code GET /metrics} and, past {@code alerts.sandbox-denials}, posted to a real HTTP receiver.
 */
class SandboxAlertsIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path tmp;

  @Test
  void sandboxDenialsAreMetricsAndAnAlert() throws Exception {
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          received.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try (TestHost host =
        TestHost.start(
            tmp.resolve("host"),
            TestDatabases.freshEmbedded(),
            false,
            Map.of(
                "CAS_ALERTS_WEBHOOKS",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "CAS_ALERTS_SANDBOX_DENIALS",
                "2"))) {
      TestHost.Response imported =
          host.importZip(new TestPlugins(tmp.resolve("build")).buildZip(SpyPlugin.spec()), "");
      assertThat(imported.status()).as(imported.text()).isEqualTo(201);
      for (String route : List.of("/property", "/env")) {
        assertThat(host.get("/api/plugins/spy" + route).text()).startsWith("refused: ");
      }

      var m = PrometheusText.parse(host.get("/metrics").text());
      assertThat(
              PrometheusText.value(
                  m,
                  "cas_plugin_sandbox_denials_total",
                  Map.of("plugin", "spy", "operation", "SET_PROPERTY")))
          .contains(1.0);
      assertThat(
              PrometheusText.value(
                  m,
                  "cas_plugin_sandbox_denials_total",
                  Map.of("plugin", "spy", "operation", "READ_ENVIRONMENT")))
          .contains(1.0);

      awaitUntil(
          () ->
              received.stream().anyMatch(a -> a.get("alert").asString().equals("sandbox-denials")));
      JsonNode alert =
          received.stream()
              .filter(a -> a.get("alert").asString().equals("sandbox-denials"))
              .findFirst()
              .orElseThrow();
      assertThat(alert.get("plugin").asString()).isEqualTo("spy");
      assertThat(alert.get("message").asString())
          .isEqualTo("plugin [spy]: 2 sandbox denials in the window (threshold 2)");
      assertThat(alert.get("details").get("byOperation").toString())
          .isEqualTo("{\"READ_ENVIRONMENT\":1,\"SET_PROPERTY\":1}");
    } finally {
      receiver.stop(0);
    }
  }
}
