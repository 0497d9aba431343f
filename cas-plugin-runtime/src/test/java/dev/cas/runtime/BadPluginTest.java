package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginRuntimeException.Reason;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken plugins are refused with a message naming the plugin, its class and the cause, and leave
 * nothing loaded: no entry, no routes, no threads, and a class loader the garbage collector takes.
 */
class BadPluginTest {

  private static final String MAIN = "test.bad.Main";

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

  /** A plugin {@code bad} whose main class has this body, with a route registered first. */
  private static TestPlugins.Spec bad(String header, String body) {
    return TestPlugins.plugin("bad")
        .permissions("http.routes")
        .main(
            MAIN,
            """
            package test.bad;
            import dev.cas.plugin.api.*;
            public class Main %s {
            %s
            }
            """
                .formatted(header, body));
  }

  @Test
  void missingMainClassIsRefused() throws Exception {
    TestPlugins.Spec spec =
        bad("implements Plugin", "public void initialize(PluginContext c) {}")
            .mainClassName("test.bad.Missing");

    assertRefused(
        spec,
        Reason.MAIN_CLASS_NOT_FOUND,
        "plugin [bad] main class [test.bad.Missing] cannot be loaded: test.bad.Missing (not in plugin"
            + " [bad]'s jars, the JDK, the plugin API or the packages its dependencies export)");
    assertNothingLoaded();
  }

  @Test
  void mainClassThatIsNotAPluginIsRefused() throws Exception {
    assertRefused(
        bad("", "public void initialize(PluginContext c) {}"),
        Reason.NOT_A_PLUGIN,
        "plugin [bad] main class [test.bad.Main] does not implement dev.cas.plugin.api.Plugin");
    assertNothingLoaded();
  }

  @Test
  void constructorThatThrowsIsRefused() throws Exception {
    assertRefused(
        bad(
            "implements Plugin",
            """
              public Main() { throw new IllegalStateException("no licence key"); }
              public void initialize(PluginContext c) {}
            """),
        Reason.CONSTRUCTOR_FAILED,
        "plugin [bad] main class [test.bad.Main] failed in constructor: java.lang.IllegalStateException:"
            + " no licence key");
    assertNothingLoaded();
  }

  @Test
  void mainClassWithoutPublicNoArgumentConstructorIsRefused() throws Exception {
    assertRefused(
        bad(
            "implements Plugin",
            """
              public Main(String setting) {}
              public void initialize(PluginContext c) {}
            """),
        Reason.CONSTRUCTOR_FAILED,
        "plugin [bad] main class [test.bad.Main] has no public no-argument constructor");
    assertNothingLoaded();
  }

  @Test
  void initializeThatThrowsIsRefusedAndItsRoutesAreDropped() throws Exception {
    assertRefused(
        bad(
            "implements Plugin",
            """
              public void initialize(PluginContext c) {
                // Hands the test a weak reference to this loader, so the test sees it go.
                System.getProperties().put("bad.loader", new java.lang.ref.WeakReference<>(getClass().getClassLoader()));
                c.routes().register("GET", "/ping", r -> HttpRoutes.Response.text(200, "pong"));
                throw new IllegalArgumentException("setting [url] is missing");
              }
            """),
        Reason.INITIALIZE_FAILED,
        "plugin [bad] main class [test.bad.Main] failed in initialize: java.lang.IllegalArgumentException:"
            + " setting [url] is missing");
    WeakReference<?> loader = (WeakReference<?>) System.getProperties().remove("bad.loader");
    assertNothingLoaded();
    assertThat(loader.get()).isNull();
  }

  @Test
  void activateThatThrowsLeavesThePluginFailedWithTheReason() throws Exception {
    String reason =
        "plugin [bad] main class [test.bad.Main] failed in activate: java.io.IOException: port 8080 is in use";
    assertRefused(
        bad(
            "implements Plugin",
            """
              public void initialize(PluginContext c) {
                c.routes().register("GET", "/ping", r -> HttpRoutes.Response.text(200, "pong"));
              }
              public void activate() throws java.io.IOException {
                throw new java.io.IOException("port 8080 is in use");
              }
            """),
        Reason.ACTIVATE_FAILED,
        reason);

    PluginInfo info = runtime.find("bad").orElseThrow();
    assertThat(info.state()).isEqualTo(PluginState.FAILED);
    assertThat(info.failure()).contains(reason);
    assertThat(runtime.routes().hasRoutes("bad")).isFalse();

    runtime.uninstall("bad", false);
    assertNothingLoaded();
  }

  @Test
  void activateThatHangsTimesOutWithoutHangingTheHost() throws Exception {
    runtime.close();
    runtime =
        PluginRuntime.create(
            // Long enough that initialize, on a busy machine, is not what times out.
            RuntimeOptions.defaults().withLifecycleTimeout(Duration.ofSeconds(2)));
    assertRefused(
        bad(
            "implements Plugin",
            """
              public void initialize(PluginContext c) {}
              public void activate() throws InterruptedException {
                new java.util.concurrent.CountDownLatch(1).await();
              }
            """),
        Reason.TIMEOUT,
        "plugin [bad] main class [test.bad.Main] did not finish activate within 2000 ms");
    // The host waited for the timeout, not forever: the test got here.
    PluginInfo info = runtime.find("bad").orElseThrow();
    assertThat(info.state()).isEqualTo(PluginState.FAILED);
    assertThat(info.failure())
        .contains("plugin [bad] main class [test.bad.Main] did not finish activate within 2000 ms");
    assertThat(runtime.install(plugins.build(TestPlugins.simple("next"))).state())
        .isEqualTo(PluginState.ACTIVE);

    runtime.uninstall("bad", false);
    assertNothingLoaded();
  }

  /**
   * Installs and asserts the refusal. A method of its own so that nothing of the failure (whose
   * stack trace refers to plugin classes) stays on the test's stack for the leak check.
   */
  private void assertRefused(TestPlugins.Spec spec, Reason reason, String message) {
    PluginPackage pkg = plugins.build(spec);
    assertThatThrownBy(() -> runtime.install(pkg))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.pluginId()).isEqualTo("bad");
            })
        .hasMessage(message);
  }

  private void assertNothingLoaded() throws InterruptedException {
    assertThat(runtime.find("bad")).isEmpty();
    assertThat(runtime.routes().hasRoutes("bad")).isFalse();
    HostProbe.awaitUntil(
        "no thread of plugin [bad] runs", () -> HostProbe.pluginThreads("bad").isEmpty());
    assertThat(runtime.leakDetector().check(Duration.ofSeconds(5))).isEmpty();
  }
}
