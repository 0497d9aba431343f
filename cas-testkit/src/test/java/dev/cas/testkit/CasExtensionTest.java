package dev.cas.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension against a real host: the probe plugin installed, helpers injected. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CasExtensionTest {

  static final Path PACKAGE = buildProbe();

  @RegisterExtension static final CasExtension cas = CasExtension.plugin(PACKAGE);

  private static Path buildProbe() {
    try {
      return ProbePlugin.build(Files.createTempDirectory("kit-probe-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @Order(1)
  void pluginIsInstalledAndAnswersAsTheSignedInUser(
      @SignedIn(value = "ada", role = "user") PluginClient ada) {
    TestHost.Response r = ada.get("/hello");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("greeting").asString()).isEqualTo("Hello");
    assertThat(r.json().get("user").asString()).isEqualTo("ada");
    assertThat(cas.pluginId()).isEqualTo(ProbePlugin.ID);
  }

  @Test
  @Order(2)
  void configSetUpShowsInTheRoute(PluginConfig config, PluginClient admin) {
    assertThat(config.get().get("greeting").asString()).isEqualTo("Hello");
    config.set("{\"greeting\": \"Hi\"}");
    assertThat(admin.get("/hello").json().get("greeting").asString()).isEqualTo("Hi");
    assertThat(admin.username()).isEqualTo("admin");
    config.set("{\"greeting\": null}");
  }

  @Test
  @Order(3)
  void databaseHandleSeesThePluginsRows(PluginClient admin, PluginDatabase db) {
    assertThat(db.tableExists("probe_notes")).isTrue();
    TestHost.Response r = admin.post("/notes", "first");
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    assertThat(db.query("SELECT body FROM probe_notes"))
        .extracting(row -> row.get("body"))
        .containsExactly("first");
  }

  @Test
  @Order(4)
  void sameUserIsTheSameClientAndRefusedConfigIsNamed(
      @SignedIn(value = "ada", role = "user") PluginClient again, PluginConfig config) {
    assertThat(again.token()).isEqualTo(cas.as("ada", "user").token());
    assertThatThrownBy(() -> config.set("{\"greeting\": 42}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("greeting");
  }

  @Nested
  class NestedClass {
    @Test
    void sharesTheEnclosingHost(TestHost host) {
      assertThat(host).isSameAs(cas.host());
    }
  }
}
