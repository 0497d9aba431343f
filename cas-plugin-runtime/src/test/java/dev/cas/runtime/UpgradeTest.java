package dev.cas.runtime;

import static dev.cas.runtime.HostProbe.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginRuntimeException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades replace a running plugin: requests see the old version until the new one is ready, a new
 * version that fails leaves the old one serving, and plugins that load the old version's classes
 * are reloaded on the new one only when forced.
 */
class UpgradeTest {

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

  private static TestPlugins.Spec versioned(String version, String initializeTail) {
    return TestPlugins.plugin("upgrader")
        .version(version)
        .permissions("http.routes")
        .main(
            "test.upgrader.Main",
            """
            package test.upgrader;
            import dev.cas.plugin.api.*;
            public class Main implements Plugin {
              public void initialize(PluginContext c) {
                c.routes().register("GET", "/version", r -> HttpRoutes.Response.text(200, "v" + c.pluginVersion()));
                %s
              }
            }
            """
                .formatted(initializeTail));
  }

  @Test
  void upgradeWhileServingSwitchesRoutesToTheNewVersionAndUnloadsTheOld() throws Exception {
    runtime.install(plugins.build(versioned("1.0.0", "")));
    PluginPackage v2 = plugins.build(versioned("2.0.0", ""));
    assertThat(get(runtime, "upgrader", "/version")).isEqualTo("v1.0.0");

    // A client calls the route without pause through the upgrade: every call gets an answer.
    Set<String> answers = ConcurrentHashMap.newKeySet();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread client =
        Thread.ofPlatform()
            .name("upgrade-client")
            .start(
                () -> {
                  while (!stop.get()) {
                    try {
                      answers.add(get(runtime, "upgrader", "/version"));
                    } catch (Throwable t) {
                      failure.compareAndSet(null, t);
                    }
                  }
                });
    HostProbe.awaitUntil("the client is served", () -> !answers.isEmpty());

    PluginInfo upgraded = runtime.upgrade(v2, false);
    HostProbe.awaitUntil("the client sees v2.0.0", () -> answers.contains("v2.0.0"));
    stop.set(true);
    client.join();

    assertThat(failure.get()).isNull();
    assertThat(answers).containsExactlyInAnyOrder("v1.0.0", "v2.0.0");
    assertThat(upgraded.version()).isEqualTo("2.0.0");
    assertThat(upgraded.state()).isEqualTo(PluginState.ACTIVE);
    assertThat(get(runtime, "upgrader", "/version")).isEqualTo("v2.0.0");
    // Only v1's loader was unloaded; it is collected.
    assertThat(runtime.leakDetector().check(Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void newVersionWhoseInitializeThrowsLeavesTheOldOneServing() throws Exception {
    runtime.install(plugins.build(versioned("1.0.0", "")));
    PluginPackage broken =
        plugins.build(
            versioned("2.0.0", "throw new IllegalStateException(\"schema migration failed\");"));

    assertThatThrownBy(() -> runtime.upgrade(broken, false))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INITIALIZE_FAILED))
        .hasMessage(
            "plugin [upgrader] main class [test.upgrader.Main] failed in initialize:"
                + " java.lang.IllegalStateException: schema migration failed");

    PluginInfo info = runtime.find("upgrader").orElseThrow();
    assertThat(info.version()).isEqualTo("1.0.0");
    assertThat(info.state()).isEqualTo(PluginState.ACTIVE);
    assertThat(get(runtime, "upgrader", "/version")).isEqualTo("v1.0.0");
    // The failed v2's loader is collected.
    assertThat(runtime.leakDetector().check(Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void upgradeWithAnActiveDependentIsRefusedUnlessForcedWhichReloadsTheDependent()
      throws Exception {
    PluginPackage v1 = plugins.build(ExportedServiceTest.provider("1.0.0", "hello"));
    runtime.install(v1);
    runtime.install(
        plugins.build(
            ExportedServiceTest.consumer("bravo", "alpha")
                .permissions("http.routes", "plugins.call"),
            v1.file("backend/dist/alpha.jar")));
    PluginPackage v11 = plugins.build(ExportedServiceTest.provider("1.1.0", "welcome"));

    assertThatThrownBy(() -> runtime.upgrade(v11, false))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HAS_DEPENDENTS))
        .hasMessage(
            "cannot upgrade plugin [alpha]: installed plugins [bravo] depend on it and load its classes"
                + " (force to reload them on the new version)");
    assertThat(get(runtime, "bravo", "/call/ada")).isEqualTo("hello ada from alpha 1.0.0");

    runtime.upgrade(v11, true);

    assertThat(runtime.list())
        .extracting(PluginInfo::id, PluginInfo::version, PluginInfo::state)
        .containsExactly(
            tuple("alpha", "1.1.0", PluginState.ACTIVE),
            tuple("bravo", "1.0.0", PluginState.ACTIVE));
    assertThat(get(runtime, "bravo", "/call/ada")).isEqualTo("welcome ada from alpha 1.1.0");
    ClassLoader alpha = runtime.routes().match("alpha", "GET", "/greet/x").orElseThrow().loader();
    ClassLoader bravo = runtime.routes().match("bravo", "GET", "/call/x").orElseThrow().loader();
    assertThat(bravo.loadClass("alpha.api.Greeting"))
        .isSameAs(alpha.loadClass("alpha.api.Greeting"));
    // The old alpha and the old bravo are both collected.
    assertThat(runtime.leakDetector().check(Duration.ofSeconds(5))).isEmpty();
  }
}
