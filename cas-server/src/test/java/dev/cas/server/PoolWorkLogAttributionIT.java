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
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * With the sandbox agent (failsafe starts this JVM with {@code -javaagent}), work a plugin hands to
 * the JDK's common pool runs as its own: what it logs there, even under another plugin's logger
 * name, lands in its ring, and the host's log line carries its id.
 */
class PoolWorkLogAttributionIT {

  static final String SOURCE =
      """
      package test.pooled;
      import dev.cas.plugin.api.*;
      import java.util.concurrent.CompletableFuture;
      public class Main implements Plugin {
        static final System.Logger LOG = System.getLogger("plugin.onlooker");
        public void initialize(PluginContext c) {
          c.routes().register("POST", "/async", r -> {
            CompletableFuture.runAsync(
                () -> LOG.log(System.Logger.Level.INFO, "pooled on the common pool")).join();
            return HttpRoutes.Response.text(200, "done");
          });
        }
      }
      """;

  @TempDir static Path tmp;
  static LogCapture log;
  static TestHost host;

  @BeforeAll
  static void start() {
    log = LogCapture.withHostPattern();
    host = TestHost.embedded(tmp.resolve("host"));
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    for (TestPlugins.Spec spec :
        List.of(
            TestPlugins.simple("onlooker"),
            TestPlugins.plugin("pooled")
                .main("test.pooled.Main", SOURCE)
                .permissions("http.routes"))) {
      TestHost.Response r = host.importZip(plugins.buildZip(spec), "");
      assertThat(r.status()).as(r.text()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    try {
      host.close();
    } finally {
      log.close();
    }
  }

  static List<String> ring(String id) {
    List<String> out = new ArrayList<>();
    for (JsonNode l :
        host.get("/api/plugins/" + id + "/logs", host.adminToken).data().get("lines")) {
      out.add(l.get("message").asString());
    }
    return out;
  }

  @Test
  void workOnTheCommonPoolLogsIntoThePluginsRing() {
    TestHost.Response r = host.post("/api/plugins/pooled/async", host.adminToken, null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);

    awaitUntil(() -> ring("pooled").contains("pooled on the common pool"));
    assertThat(ring("onlooker")).doesNotContain("pooled on the common pool");
    assertThat(log.text().lines())
        .anyMatch(l -> l.contains(" plugin=pooled ") && l.endsWith(" - pooled on the common pool"));
  }
}
