package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FORMAT.md's "Dependencies between plugins", through the API: a plugin others depend on is not
 * deactivated or upgraded under them without {@code force=true}; with it, a deactivation takes the
 * dependents along and leaves them inactive, and an upgrade reloads them on the new version.
 */
class DependentsHttpTest {

  @TempDir Path tmp;
  TestHost host;
  TestPlugins plugins;
  PluginPackage alpha;

  @BeforeEach
  void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    plugins = new TestPlugins(tmp.resolve("build"));
    alpha = plugins.build(provider("1.0.0"));
    assertThat(host.importZip(plugins.buildZip(provider("1.0.0")), "").status()).isEqualTo(201);
    Path bravo =
        plugins.buildZip(
            TestPlugins.plugin("bravo")
                .dependsOn("alpha", "^1.0.0")
                .permissions("http.routes")
                .main(
                    "test.bravo.Main",
                    """
                    package test.bravo;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      public void initialize(PluginContext c) {
                        c.routes().register("GET", "/word", r -> HttpRoutes.Response.text(200,
                            alpha.api.Word.class.getSimpleName()));
                      }
                    }
                    """),
            alpha.file("backend/dist/alpha.jar"));
    assertThat(host.importZip(bravo, "").status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    host.close();
  }

  /** Plugin {@code alpha}: exports the package {@code alpha.api}; answers its version. */
  static TestPlugins.Spec provider(String version) {
    return TestPlugins.plugin("alpha")
        .version(version)
        .exports("alpha.api")
        .permissions("http.routes")
        .source("alpha.api.Word", "package alpha.api; public interface Word {}")
        .main(
            "alpha.impl.Main",
            """
            package alpha.impl;
            import dev.cas.plugin.api.*;
            public class Main implements Plugin {
              public void initialize(PluginContext c) {
                c.routes().register("GET", "/version", r -> HttpRoutes.Response.text(200,
                    c.pluginVersion()));
              }
            }
            """);
  }

  @Test
  void deactivatingAPluginWithDependentsNeedsForceAndLeavesThemInactive() {
    TestHost.Response refused = host.post("/api/plugins/alpha/deactivate", host.adminToken, null);
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("HAS_DEPENDENTS");
    assertThat(state("alpha")).isEqualTo("active");

    TestHost.Response forced =
        host.post("/api/plugins/alpha/deactivate?force=true", host.adminToken, null);
    assertThat(forced.status()).as(forced.text()).isEqualTo(200);
    assertThat(forced.data().get("deactivated").toString()).isEqualTo("[\"bravo\",\"alpha\"]");
    assertThat(state("bravo")).isEqualTo("inactive");

    TestHost.Response again = host.post("/api/plugins/alpha/activate", host.adminToken, null);
    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(state("alpha")).isEqualTo("active");
    assertThat(state("bravo")).isEqualTo("inactive");
  }

  @Test
  void upgradingAPluginWithDependentsNeedsForceAndReloadsThem() {
    Path v11 = plugins.buildZip(provider("1.1.0"));

    TestHost.Response refused = host.importZip(v11, "?upgrade=true");
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("HAS_DEPENDENTS");
    assertThat(host.get("/api/plugins/alpha/version").text()).isEqualTo("1.0.0");

    TestHost.Response forced = host.importZip(v11, "?upgrade=true&force=true");
    assertThat(forced.status()).as(forced.text()).isEqualTo(201);
    assertThat(forced.data().get("outcome").asString()).isEqualTo("upgraded");
    assertThat(host.get("/api/plugins/alpha/version").text()).isEqualTo("1.1.0");
    assertThat(state("bravo")).isEqualTo("active");
    assertThat(host.get("/api/plugins/bravo/word").text()).isEqualTo("Word");
  }

  private String state(String id) {
    return host.get("/api/plugins/" + id).data().get("state").asString();
  }
}
