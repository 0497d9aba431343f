package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deactivated plugin's routes answer 503 with a clear message until it is activated again; a
 * plugin whose configuration lacks a required key cannot be activated.
 */
class ActivationTest {

  private static final String NEEDS_ENDPOINT =
      "{\"endpoint\": {\"type\": \"string\", \"required\": true}, \"retries\": {\"type\": \"integer\", \"default\": 3}}";

  @TempDir static Path tmp;
  static TestHost host;
  static TestPlugins plugins;
  static String operator;

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    plugins = new TestPlugins(tmp.resolve("build"));
    operator = host.userToken("otto", "operator");
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void deactivatedPluginRoutesAnswer503UntilActivatedAgain() {
    assertThat(host.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
        .isEqualTo(201);
    String user = host.userToken("uma", "user");
    assertThat(host.get("/api/plugins/notes/greeting", user).text()).isEqualTo("hi");

    TestHost.Response off = host.post("/api/plugins/notes/deactivate", operator, null);
    assertThat(off.status()).as(off.text()).isEqualTo(200);
    assertThat(off.json().get("message").asString()).isEqualTo("deactivated [notes]");
    assertThat(host.get("/api/plugins/notes/status", user).data().get("state").asString())
        .isEqualTo("inactive");

    TestHost.Response refused = host.get("/api/plugins/notes/greeting", user);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.errorCode()).isEqualTo("PLUGIN_INACTIVE");
    assertThat(refused.json().get("message").asString())
        .isEqualTo("plugin [notes] is inactive; its routes answer when it is active");
    assertThat(host.post("/api/plugins/notes/notes", user, "while off").status()).isEqualTo(503);

    TestHost.Response on = host.post("/api/plugins/notes/activate", operator, null);
    assertThat(on.status()).as(on.text()).isEqualTo(200);
    assertThat(on.data().get("state").asString()).isEqualTo("active");
    assertThat(host.get("/api/plugins/notes/greeting", user).status()).isEqualTo(200);
    assertThat(host.get("/api/plugins/notes/greeting", user).text()).isEqualTo("hi");
  }

  @Test
  void activationIsRefusedWhileARequiredConfigKeyIsMissing() {
    TestHost.Response imported =
        host.importZip(
            plugins.buildZip(
                TestPlugins.simple("needs-key").status("inactive").configSchema(NEEDS_ENDPOINT)),
            "");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    assertThat(imported.data().get("state").asString()).isEqualTo("initialized");

    TestHost.Response refused = host.post("/api/plugins/needs-key/activate", operator, null);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("CONFIG_INVALID");
    assertThat(refused.json().get("message").asString())
        .isEqualTo(
            "plugin [needs-key] cannot be activated until its configuration is valid: [endpoint] is required");
    assertThat(host.get("/api/plugins/needs-key").data().get("state").asString())
        .isEqualTo("initialized");

    TestHost.Response wrongType =
        host.put("/api/plugins/needs-key/config", operator, "{\"endpoint\": 42}");
    assertThat(wrongType.status()).isEqualTo(422);
    assertThat(wrongType.errorCode()).isEqualTo("CONFIG_INVALID");

    TestHost.Response configured =
        host.put(
            "/api/plugins/needs-key/config", operator, "{\"endpoint\": \"https://example.org\"}");
    assertThat(configured.status()).as(configured.text()).isEqualTo(200);
    TestHost.Response activated = host.post("/api/plugins/needs-key/activate", operator, null);
    assertThat(activated.status()).as(activated.text()).isEqualTo(200);
    assertThat(activated.data().get("state").asString()).isEqualTo("active");
  }

  /** The manifest asks for active, but invalid configuration blocks activation on import too. */
  @Test
  void importWithARequiredConfigKeyMissingInstallsThePluginInactive() {
    TestHost.Response imported =
        host.importZip(
            plugins.buildZip(TestPlugins.simple("needs-key-too").configSchema(NEEDS_ENDPOINT)), "");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    assertThat(imported.data().get("state").asString()).isNotEqualTo("active");
    assertThat(imported.data().get("warnings").toString())
        .contains(
            "plugin [needs-key-too] stays inactive until its configuration is valid: [endpoint] is required");
    assertThat(host.server.host().store().find("needs-key-too").orElseThrow().desired())
        .isEqualTo(dev.cas.packaging.Manifest.DesiredStatus.INACTIVE);
  }
}
