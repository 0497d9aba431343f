package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.PluginState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

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

  static final String GREETER =
      """
      package test.greeter;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        private PluginContext ctx;
        public void initialize(PluginContext c) {
          ctx = c;
          c.routes().register("GET", "/hello/{name}", r -> HttpRoutes.Response.text(200,
              c.config().getString("greeting").orElse("?") + ", " + r.pathParams().get("name")));
        }
        public void activate() { ctx.events().publish("started", java.util.Map.of("v", ctx.pluginVersion())); }
      }
      """;

  @Test
  void installedPluginServesItsRouteAndPublishesLifecycleEvents() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    runtime.events().subscribe("host", "*", e -> seen.add(e.name()));
    PluginInfo info =
        runtime.install(
            plugins.build(
                TestPlugins.plugin("greeter")
                    .main("test.greeter.Main", GREETER)
                    .permissions("http.routes", "events.publish")
                    .configSchema(
                        "{\"greeting\": {\"type\": \"string\", \"default\": \"Hello\"}}")));

    assertThat(info.state()).isEqualTo(PluginState.ACTIVE);
    HttpRoutes.Response response = call("greeter", "GET", "/hello/ada");
    assertThat(new String(response.body())).isEqualTo("Hello, ada");

    runtime.configure("greeter", Map.of("greeting", "Hi"));
    assertThat(new String(call("greeter", "GET", "/hello/ada").body())).isEqualTo("Hi, ada");

    // Events are delivered on the bus's own thread: wait for all of them, then look.
    List<String> expected =
        List.of(
            "host:plugin:resolved",
            "host:plugin:initialized",
            "host:plugin:active",
            "plugin:greeter:started");
    awaitUntil(() -> seen.containsAll(expected));
    assertThat(seen).containsAll(expected);
  }

  @Test
  void deactivatedPluginHasNoRoutesAndCanBeActivatedAgain() {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("greeter")
                .main("test.greeter.Main", GREETER)
                .permissions("http.routes", "events.publish")));

    runtime.deactivate("greeter", false);
    assertThat(runtime.routes().match("greeter", "GET", "/hello/x")).isEmpty();
    assertThat(runtime.find("greeter").orElseThrow().state()).isEqualTo(PluginState.INACTIVE);

    runtime.activate("greeter");
    assertThat(runtime.routes().match("greeter", "GET", "/hello/x")).isPresent();
  }

  @Test
  void lifecycleEventNamesDoNotDependOnTheDefaultLocale() throws Exception {
    // Under a Turkish default locale "INACTIVE".toLowerCase() is "ınactıve" (dotless i): an event
    // named that way is never matched by a subscriber of host:plugin:inactive.
    java.util.Locale before = java.util.Locale.getDefault();
    java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
    try {
      List<String> seen = new CopyOnWriteArrayList<>();
      runtime.events().subscribe("host", "host:plugin:inactive", e -> seen.add(e.name()));
      runtime.install(
          plugins.build(
              TestPlugins.plugin("greeter")
                  .main("test.greeter.Main", GREETER)
                  .permissions("http.routes", "events.publish")));
      runtime.deactivate("greeter", false);
      awaitUntil(() -> seen.contains("host:plugin:inactive"));
      assertThat(seen).containsExactly("host:plugin:inactive");
    } finally {
      java.util.Locale.setDefault(before);
    }
  }

  @Test
  void undeclaredPermissionIsRefusedWithItsName() {
    assertThatThrownBy(
            () ->
                runtime.install(
                    plugins.build(
                        TestPlugins.plugin("greeter").main("test.greeter.Main", GREETER))))
        .isInstanceOf(PluginRuntimeException.class)
        .hasMessageContaining(
            "plugin [greeter] main class [test.greeter.Main] failed in initialize:"
                + " dev.cas.plugin.api.PermissionDeniedException: plugin"
                + " [greeter] may not register HTTP routes: permission [http.routes] is not declared in"
                + " its plugin.json");
    assertThat(runtime.find("greeter")).isEmpty();
  }

  @Test
  void invalidConfigurationIsRefusedAndTheOldValuesStay() {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("greeter")
                .main("test.greeter.Main", GREETER)
                .permissions("http.routes", "events.publish")
                .configSchema(
                    "{\"greeting\": {\"type\": \"string\", \"default\": \"Hello\", \"pattern\": \"[A-Z].*\"}}")));

    assertThatThrownBy(() -> runtime.configure("greeter", Map.of("greeting", "lower", "extra", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid configuration for plugin [greeter]: [extra] is not in the plugin's configSchema;"
                + " [greeting] must match [A-Z].* but was [lower]");
    assertThat(new String(call("greeter", "GET", "/hello/x").body())).isEqualTo("Hello, x");
  }

  private HttpRoutes.Response call(String id, String method, String path) {
    RouteTable.Match m = runtime.routes().match(id, method, path).orElseThrow();
    try {
      return m.handler()
          .handle(
              new HttpRoutes.Request(
                  method,
                  path,
                  m.pathParams(),
                  Map.of(),
                  Map.of(),
                  new byte[0],
                  java.util.Optional.empty()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(10);
    }
  }
}
