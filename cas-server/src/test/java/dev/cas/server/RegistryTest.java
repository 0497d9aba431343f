package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The registry is the one answer to "is it installed": a plugin that cannot load when the host
 * starts again is still installed, listed as failed with the reason, and can be activated again
 * (once it loads), upgraded or uninstalled. The others start.
 */
class RegistryTest {

  @TempDir Path tmp;

  /** Fails in initialize while system property {@code fragile.broken} is set. */
  static final String FRAGILE =
      """
      package test.fragile;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          if (System.getProperty("fragile.broken") != null) {
            throw new IllegalStateException("cannot reach its backend");
          }
          c.routes().register("GET", "/ping", r -> HttpRoutes.Response.text(200, "pong " + c.pluginVersion()));
        }
      }
      """;

  @Test
  void pluginThatCannotLoadAtRestartStaysInstalledAsFailed() {
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    Path data = tmp.resolve("host");
    String dbUrl = TestDatabases.freshEmbedded();
    TestPlugins.Spec fragile =
        TestPlugins.plugin("fragile").main("test.fragile.Main", FRAGILE).permissions("http.routes");
    try (TestHost first = TestHost.start(data, dbUrl, false, Map.of())) {
      assertThat(first.importZip(plugins.buildZip(fragile), "").status()).isEqualTo(201);
      assertThat(first.importZip(plugins.buildZip(TestPlugins.simple("steady")), "").status())
          .isEqualTo(201);
    }
    System.setProperty("fragile.broken", "true");
    try (TestHost second = TestHost.start(data, dbUrl, false, Map.of())) {
      JsonNode list = second.get("/api/plugins").data();
      assertThat(list).hasSize(2);
      JsonNode failed = list.get(0);
      assertThat(failed.get("id").asString()).isEqualTo("fragile");
      assertThat(failed.get("state").asString()).isEqualTo("failed");
      assertThat(failed.get("failure").asString())
          .contains(
              "failed in initialize: java.lang.IllegalStateException: cannot reach its backend");
      assertThat(list.get(1).get("state").asString()).isEqualTo("active");
      assertThat(second.get("/api/plugins/fragile").status()).isEqualTo(200);
      JsonNode status = second.get("/api/plugins/fragile/status").data();
      assertThat(status.get("state").asString()).isEqualTo("failed");
      assertThat(status.get("healthy").asBoolean()).isFalse();
      TestHost.Response route = second.get("/api/plugins/fragile/ping");
      assertThat(route.status()).isEqualTo(503);
      assertThat(route.errorCode()).isEqualTo("PLUGIN_INACTIVE");
      assertThat(route.json().get("message").asString())
          .startsWith("plugin [fragile] failed to load (")
          .endsWith("cannot reach its backend); its routes answer when it is active");

      TestHost.Response stillBroken =
          second.post("/api/plugins/fragile/activate", second.adminToken, null);
      assertThat(stillBroken.status()).as(stillBroken.text()).isEqualTo(422);
      assertThat(stillBroken.errorCode()).isEqualTo("INITIALIZE_FAILED");

      System.clearProperty("fragile.broken");
      TestHost.Response activated =
          second.post("/api/plugins/fragile/activate", second.adminToken, null);
      assertThat(activated.status()).as(activated.text()).isEqualTo(200);
      assertThat(second.get("/api/plugins/fragile/ping").text()).isEqualTo("pong 1.0.0");

      // Failed again, then upgraded in place: the new version is installed in the runtime.
      System.setProperty("fragile.broken", "true");
    }
    try (TestHost third = TestHost.start(data, dbUrl, false, Map.of())) {
      System.clearProperty("fragile.broken");
      TestHost.Response upgraded =
          third.importZip(plugins.buildZip(fragile.version("1.1.0")), "?upgrade=true");
      assertThat(upgraded.status()).as(upgraded.text()).isEqualTo(201);
      assertThat(third.get("/api/plugins/fragile/ping").text()).isEqualTo("pong 1.1.0");
      System.setProperty("fragile.broken", "true");
    }
    try (TestHost fourth = TestHost.start(data, dbUrl, false, Map.of())) {
      assertThat(fourth.get("/api/plugins/fragile").data().get("state").asString())
          .isEqualTo("failed");
      TestHost.Response removed = fourth.delete("/api/plugins/fragile?purgeData=true");
      assertThat(removed.status()).as(removed.text()).isEqualTo(200);
      assertThat(fourth.get("/api/plugins/fragile").status()).isEqualTo(404);
      assertThat(fourth.get("/api/plugins").data()).hasSize(1);
    } finally {
      System.clearProperty("fragile.broken");
    }
  }
}
