package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.plugin.api.HealthStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host asks active plugins how they are; inactive ones are reported as such. */
class HealthTest {

  @TempDir Path tmp;
  private TestPlugins plugins;
  private PluginRuntime runtime;

  @BeforeEach
  void setUp() {
    plugins = new TestPlugins(tmp);
    runtime = PluginRuntime.create(RuntimeOptions.defaults());
  }

  @AfterEach
  void tearDown() {
    runtime.close();
  }

  @Test
  void pluginReportsItsOwnUnhealthyDetail() {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("ailing")
                .main(
                    "test.ailing.Main",
                    """
                    package test.ailing;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      public void initialize(PluginContext c) {}
                      public HealthStatus health() {
                        return HealthStatus.unhealthy("cache server cache:6379 refuses connections");
                      }
                    }
                    """)));

    assertThat(runtime.health("ailing"))
        .isEqualTo(HealthStatus.unhealthy("cache server cache:6379 refuses connections"));
  }

  @Test
  void failStopsAnActivePluginAndKeepsTheReasonUntilItIsActivatedAgain() {
    runtime.install(plugins.build(TestPlugins.simple("plain")));

    PluginInfo failed = runtime.fail("plain", "the health monitor gave up after 3 restarts");

    assertThat(failed.state()).isEqualTo(dev.cas.plugin.api.PluginState.FAILED);
    assertThat(failed.failure()).contains("the health monitor gave up after 3 restarts");
    assertThat(runtime.health("plain")).isEqualTo(HealthStatus.unhealthy("plugin is failed"));
    assertThat(runtime.activate("plain").state()).isEqualTo(dev.cas.plugin.api.PluginState.ACTIVE);
    assertThat(runtime.find("plain").orElseThrow().failure()).isEmpty();
  }

  @Test
  void pluginWithoutHealthCheckIsHealthy() {
    runtime.install(plugins.build(TestPlugins.simple("plain")));

    assertThat(runtime.health("plain")).isEqualTo(HealthStatus.ok());
  }

  @Test
  void deactivatedPluginIsReportedInactive() {
    runtime.install(plugins.build(TestPlugins.simple("plain")));
    runtime.deactivate("plain", false);

    assertThat(runtime.health("plain")).isEqualTo(HealthStatus.unhealthy("plugin is inactive"));
  }

  @Test
  void healthCheckThatThrowsIsReportedUnhealthyWithTheCause() {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("crashing")
                .main(
                    "test.crashing.Main",
                    """
                    package test.crashing;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      public void initialize(PluginContext c) {}
                      public HealthStatus health() { throw new IllegalStateException("pool closed"); }
                    }
                    """)));

    assertThat(runtime.health("crashing"))
        .isEqualTo(
            HealthStatus.unhealthy(
                "plugin [crashing] main class [test.crashing.Main] failed in health:"
                    + " java.lang.IllegalStateException: pool closed"));
  }
}
