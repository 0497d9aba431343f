package dev.cas.server;

import static dev.cas.server.Awaits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every thread that runs a plugin's code is attributed to it, not only route calls: its constructor
 * and lifecycle calls, its health check, its event handlers (delivered on a virtual thread of the
 * bus), its tasks and scheduled runs, and threads it starts itself. The plugin logs each line under
 * another plugin's logger name, so only the thread can tell whose line it is: the line lands in its
 * ring and not in the other's, and the host's own log line carries its id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginLogAttributionTest {

  static final String SOURCE =
      """
      package test.busybee;
      import dev.cas.plugin.api.*;
      import java.util.Map;
      import java.util.concurrent.TimeUnit;
      public class Main implements Plugin {
        // Posing as the bystander: the thread, not the logger's name, must tell whose line it is.
        static final System.Logger LOG = System.getLogger("plugin.bystander");
        PluginContext c;
        public Main() { LOG.log(System.Logger.Level.INFO, "bee constructed"); }
        public void initialize(PluginContext c) {
          this.c = c;
          LOG.log(System.Logger.Level.INFO, "bee initialized");
          c.events().subscribe("plugin:busy-bee:ping",
              e -> LOG.log(System.Logger.Level.INFO, "bee event " + e.payload().get("n")));
          c.routes().register("POST", "/ping", r -> {
            c.events().publish("ping", Map.of("n", "7"));
            return HttpRoutes.Response.text(200, "published");
          });
          c.routes().register("POST", "/task", r -> {
            try {
              c.tasks().executor()
                  .submit(() -> LOG.log(System.Logger.Level.INFO, "bee task")).get();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return HttpRoutes.Response.text(200, "ran");
          });
          c.routes().register("POST", "/thread", r -> {
            Thread t = new Thread(() -> LOG.log(System.Logger.Level.INFO, "bee own thread"));
            t.setName("worker-of-nobody");
            t.start();
            try {
              t.join();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return HttpRoutes.Response.text(200, "joined");
          });
        }
        public void activate() {
          LOG.log(System.Logger.Level.INFO, "bee activated");
          c.tasks().scheduler().schedule(
              () -> LOG.log(System.Logger.Level.INFO, "bee scheduled"), 10, TimeUnit.MILLISECONDS);
        }
        public void deactivate() { LOG.log(System.Logger.Level.INFO, "bee deactivated"); }
        public HealthStatus health() {
          LOG.log(System.Logger.Level.INFO, "bee health");
          return HealthStatus.ok();
        }
      }
      """;

  TestHost host;
  LogCapture log;

  @BeforeAll
  void start(@TempDir Path tmp) {
    log = LogCapture.withHostPattern();
    host = TestHost.embedded(tmp.resolve("host"));
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    for (TestPlugins.Spec spec :
        List.of(
            TestPlugins.simple("bystander"),
            TestPlugins.plugin("busy-bee")
                .main("test.busybee.Main", SOURCE)
                .permissions(
                    "http.routes", "events.publish", "events.subscribe", "threads.create"))) {
      TestHost.Response r = host.importZip(plugins.buildZip(spec), "");
      assertThat(r.status()).as(r.text()).isEqualTo(201);
    }
  }

  @AfterAll
  void stop() {
    try {
      host.close();
    } finally {
      log.close();
    }
  }

  private List<String> ring(String id) {
    TestHost.Response r = host.get("/api/plugins/" + id + "/logs", host.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode l : r.data().get("lines")) {
      out.add(l.get("message").asString());
    }
    return out;
  }

  private void post(String path) {
    TestHost.Response r = host.post("/api/plugins/busy-bee" + path, host.adminToken, null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  /** The host's log has the line with the plugin's id (its pattern, from logback.xml). */
  private boolean hostLogAttributes(String message) {
    return log.text()
        .lines()
        .anyMatch(l -> l.contains(" plugin=busy-bee ") && l.endsWith(" - " + message));
  }

  @Test
  void lifecycleCallsAndTheHealthCheckAreThePluginsOwn() {
    awaitUntil(() -> ring("busy-bee").contains("bee activated"));
    assertThat(ring("busy-bee")).contains("bee constructed", "bee initialized", "bee activated");
    assertThat(host.get("/api/plugins/busy-bee/status", host.adminToken).status()).isEqualTo(200);
    post("/deactivate");
    post("/activate");
    awaitUntil(() -> ring("busy-bee").contains("bee deactivated"));
    assertThat(ring("busy-bee")).contains("bee health");
    for (String line :
        List.of("bee constructed", "bee initialized", "bee activated", "bee health")) {
      assertThat(hostLogAttributes(line)).as(line).isTrue();
    }
    assertThat(ring("bystander")).noneMatch(l -> l.startsWith("bee "));
  }

  @Test
  void eventHandlersTasksScheduledRunsAndOwnThreadsAreThePluginsOwn() {
    post("/ping");
    post("/task");
    post("/thread");
    awaitUntil(() -> ring("busy-bee").containsAll(List.of("bee event 7", "bee scheduled")));
    assertThat(ring("busy-bee")).contains("bee task", "bee own thread");
    awaitUntil(() -> hostLogAttributes("bee event 7"));
    assertThat(hostLogAttributes("bee task")).isTrue();
    assertThat(hostLogAttributes("bee scheduled")).isTrue();
    assertThat(ring("bystander")).noneMatch(l -> l.startsWith("bee "));
  }
}
