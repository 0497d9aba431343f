package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginRuntimeException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting many plugins together: independent ones start side by side, each after its dependencies
 * are active, each plugin's lifecycle events in the same order as a single install, and a failure
 * keeps out only that plugin and the ones depending on it.
 */
class ParallelStartTest {

  private static final String BROKEN =
      """
      package test.broken;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) { throw new IllegalStateException("no config"); }
      }
      """;

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
  void aFailureKeepsOutOnlyThatPluginAndItsDependents() {
    List<PluginPackage> packages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      packages.add(plugins.build(TestPlugins.simple("free-" + i)));
    }
    packages.add(plugins.build(TestPlugins.plugin("broken").main("test.broken.Main", BROKEN)));
    packages.add(plugins.build(TestPlugins.simple("needs-broken").dependsOn("broken", "^1.0.0")));
    packages.add(
        plugins.build(TestPlugins.simple("needs-needs").dependsOn("needs-broken", "^1.0.0")));
    packages.add(plugins.build(TestPlugins.simple("needs-free").dependsOn("free-0", "^1.0.0")));

    StartReport report = runtime.startAll(packages);

    assertThat(report.installed())
        .extracting(PluginInfo::id)
        .containsExactlyInAnyOrder(
            "free-0", "free-1", "free-2", "free-3", "free-4", "free-5", "needs-free");
    assertThat(runtime.list()).extracting(PluginInfo::state).containsOnly(PluginState.ACTIVE);
    assertThat(report.failures()).containsOnlyKeys("broken", "needs-broken", "needs-needs");
    assertThat(report.failures().get("broken"))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INITIALIZE_FAILED))
        .hasMessageContaining("no config");
    assertThat(report.failures().get("needs-broken"))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DEPENDENCY_MISSING))
        .hasMessage("plugin [needs-broken] depends on plugin [broken], which failed to start");
    assertThat(report.failures().get("needs-needs"))
        .hasMessage("plugin [needs-needs] depends on plugin [needs-broken], which failed to start");
  }

  @Test
  void eachPluginMovesThroughTheSameTransitionsAndDependentsStartAfterTheirDependency()
      throws Exception {
    // The bus delivers each event on a virtual thread of its own, so delivery order is not
    // publication order; each event's from/to says where it stands in the plugin's lifecycle.
    List<String> seen = new CopyOnWriteArrayList<>();
    runtime
        .events()
        .subscribe(
            "host",
            "host:plugin:*",
            e ->
                seen.add(
                    e.payload().get("id")
                        + " "
                        + e.payload().get("from")
                        + ">"
                        + e.payload().get("to")));
    List<PluginPackage> packages = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      packages.add(plugins.build(TestPlugins.simple("p-" + i)));
    }
    packages.add(plugins.build(TestPlugins.simple("top").dependsOn("mid", "^1.0.0")));
    packages.add(plugins.build(TestPlugins.simple("mid").dependsOn("p-3", "^1.0.0")));

    // A dependent that started before its dependency was active would fail to start (and throw).
    assertThat(runtime.installAll(packages)).hasSize(14);

    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (seen.size() < 14 * 3 && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(seen).hasSize(14 * 3);
    for (PluginPackage p : packages) {
      String id = p.manifest().id();
      assertThat(seen.stream().filter(s -> s.startsWith(id + " ")).toList())
          .as(id)
          .containsExactlyInAnyOrder(
              id + " INSTALLED>RESOLVED", id + " RESOLVED>INITIALIZED", id + " INITIALIZED>ACTIVE");
    }
    assertThat(runtime.find("p-3").orElseThrow().dependents())
        .containsExactlyInAnyOrder("mid", "top");
    assertThat(runtime.list()).extracting(PluginInfo::state).containsOnly(PluginState.ACTIVE);
  }
}
