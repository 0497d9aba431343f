package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginRuntimeException.Reason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins start in dependency order; cycles, missing dependencies and versions out of range are
 * refused naming the plugins and ranges; a plugin others depend on stays until forced, which
 * cascades to the dependents first.
 */
class DependencyTest {

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

  /** charlie depends on bravo, bravo on alpha. */
  private List<PluginPackage> chain() {
    return List.of(
        plugins.build(TestPlugins.simple("charlie").dependsOn("bravo", "^1.0.0")),
        plugins.build(TestPlugins.simple("bravo").dependsOn("alpha", "^1.0.0")),
        plugins.build(TestPlugins.simple("alpha")));
  }

  @Test
  void installAllStartsPluginsInDependencyOrder() {
    List<PluginInfo> installed = runtime.installAll(chain());

    assertThat(installed).extracting(PluginInfo::id).containsExactly("alpha", "bravo", "charlie");
    assertThat(runtime.list()).extracting(PluginInfo::state).containsOnly(PluginState.ACTIVE);
    assertThat(runtime.find("alpha").orElseThrow().dependents())
        .containsExactly("charlie", "bravo");
  }

  @Test
  void cycleIsRefusedNamingItAndNothingLoads() {
    List<PluginPackage> cycle =
        List.of(
            plugins.build(TestPlugins.simple("alpha").dependsOn("bravo", "^1.0.0")),
            plugins.build(TestPlugins.simple("bravo").dependsOn("charlie", "^1.0.0")),
            plugins.build(TestPlugins.simple("charlie").dependsOn("alpha", "^1.0.0")));

    assertThatThrownBy(() -> runtime.installAll(cycle))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DEPENDENCY_CYCLE))
        .hasMessage("plugins depend on each other in a cycle: alpha -> bravo -> charlie -> alpha");
    assertThat(runtime.list()).isEmpty();
    assertThat(runtime.leakDetector().pending()).isZero();
  }

  @Test
  void missingDependencyIsRefusedNamingItAndTheRange() {
    assertThatThrownBy(
            () ->
                runtime.install(
                    plugins.build(TestPlugins.simple("bravo").dependsOn("alpha", "^1.0.0"))))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DEPENDENCY_MISSING))
        .hasMessage(
            "plugin [bravo] cannot start: requires plugin [alpha] ^1.0.0, which is not installed");
    assertThat(runtime.find("bravo")).isEmpty();
  }

  @Test
  void dependencyOutOfRangeIsRefusedNamingItTheRangeAndTheVersionFound() {
    runtime.install(plugins.build(TestPlugins.simple("alpha").version("1.4.2")));

    assertThatThrownBy(
            () ->
                runtime.install(
                    plugins.build(TestPlugins.simple("bravo").dependsOn("alpha", "^2.0.0"))))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DEPENDENCY_VERSION))
        .hasMessage(
            "plugin [bravo] cannot start: requires plugin [alpha] ^2.0.0, but version 1.4.2 is installed");
    assertThat(runtime.find("bravo")).isEmpty();
  }

  @Test
  void inactiveDependencyIsRefusedSayingSo() {
    runtime.install(plugins.build(TestPlugins.simple("alpha")));
    runtime.deactivate("alpha", false);

    assertThatThrownBy(
            () ->
                runtime.install(
                    plugins.build(TestPlugins.simple("bravo").dependsOn("alpha", "^1.0.0"))))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DEPENDENCY_MISSING))
        .hasMessage(
            "plugin [bravo] cannot start: requires plugin [alpha] ^1.0.0, which is inactive");
  }

  @Test
  void deactivatingAPluginWithActiveDependentsIsRefusedUnlessForced() {
    runtime.installAll(chain());

    assertThatThrownBy(() -> runtime.deactivate("alpha", false))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HAS_DEPENDENTS))
        .hasMessage(
            "cannot deactivate plugin [alpha]: active plugins [charlie, bravo] depend on it (force to deactivate them too)");
    assertThat(runtime.list()).extracting(PluginInfo::state).containsOnly(PluginState.ACTIVE);

    assertThat(runtime.deactivate("alpha", true)).containsExactly("charlie", "bravo", "alpha");
    assertThat(runtime.list()).extracting(PluginInfo::state).containsOnly(PluginState.INACTIVE);
  }

  @Test
  void deactivatingADependencyOfOnlyInactivePluginsIsAllowed() {
    runtime.installAll(chain());
    runtime.deactivate("charlie", false);
    runtime.deactivate("bravo", false);

    assertThat(runtime.deactivate("alpha", false)).containsExactly("alpha");
  }

  @Test
  void uninstallingAPluginWithDependentsIsRefusedUnlessForced() {
    runtime.installAll(chain());

    assertThatThrownBy(() -> runtime.uninstall("alpha", false))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HAS_DEPENDENTS))
        .hasMessage(
            "cannot uninstall plugin [alpha]: installed plugins [charlie, bravo] depend on it (force to uninstall them too)");
    assertThat(runtime.list()).hasSize(3);

    assertThat(runtime.uninstall("alpha", true)).containsExactly("charlie", "bravo", "alpha");
    assertThat(runtime.list()).isEmpty();
    assertThat(runtime.leakDetector().check(java.time.Duration.ofSeconds(5))).isEmpty();
  }
}
