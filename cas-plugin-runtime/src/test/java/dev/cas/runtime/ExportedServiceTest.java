package dev.cas.runtime;

import static dev.cas.runtime.HostProbe.get;
import static dev.cas.runtime.HostProbe.handle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.PermissionDeniedException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin shares an interface through an exported package ({@code CAS-Export-Package}) and an
 * implementation through {@code exportService}; a plugin that depends on it and declares {@code
 * plugins.call} gets the implementation, typed by the very same interface class.
 */
class ExportedServiceTest {

  @TempDir Path tmp;
  private TestPlugins plugins;
  private PluginRuntime runtime;
  private PluginPackage provider;

  @BeforeEach
  void setUp() {
    plugins = new TestPlugins(tmp);
    runtime = PluginRuntime.create(RuntimeOptions.defaults());
    provider = plugins.build(provider("1.0.0", "hello"));
    runtime.install(provider);
  }

  @AfterEach
  void tearDown() {
    runtime.close();
  }

  /**
   * Plugin {@code alpha}: exports {@code alpha.api.Greeting}, implemented in its private package.
   */
  static TestPlugins.Spec provider(String version, String word) {
    return TestPlugins.plugin("alpha")
        .version(version)
        .exports("alpha.api")
        .permissions("http.routes")
        .source(
            "alpha.api.Greeting",
            """
            package alpha.api;
            public interface Greeting { String greet(String name); }
            """)
        .main(
            "alpha.impl.Main",
            """
            package alpha.impl;
            import dev.cas.plugin.api.*;
            public class Main implements Plugin {
              public void initialize(PluginContext c) {
                c.exportService(alpha.api.Greeting.class, name -> "%s " + name + " from alpha " + c.pluginVersion());
                c.routes().register("GET", "/greet/{name}",
                    r -> HttpRoutes.Response.text(200, "alpha says " + r.pathParams().get("name")));
              }
            }
            """
                .formatted(word));
  }

  /** Plugin {@code id}: calls {@code target}'s Greeting service from a route. */
  static TestPlugins.Spec consumer(String id, String target) {
    return TestPlugins.plugin(id)
        .dependsOn("alpha", "^1.0.0")
        .main(
            "test." + id + ".Main",
            """
            package test.%s;
            import dev.cas.plugin.api.*;
            public class Main implements Plugin {
              public void initialize(PluginContext c) {
                c.routes().register("GET", "/call/{name}", r -> HttpRoutes.Response.text(200,
                    c.pluginService("%s", alpha.api.Greeting.class)
                        .map(g -> g.greet(r.pathParams().get("name")))
                        .orElse("(no service)")));
              }
            }
            """
                .formatted(id, target));
  }

  private PluginPackage buildConsumer(TestPlugins.Spec spec) {
    return plugins.build(spec, provider.file("backend/dist/alpha.jar"));
  }

  @Test
  void dependentPluginCallsTheExportedServiceThroughTheSameInterfaceClass() throws Exception {
    runtime.install(
        buildConsumer(consumer("bravo", "alpha").permissions("http.routes", "plugins.call")));

    assertThat(get(runtime, "bravo", "/call/ada")).isEqualTo("hello ada from alpha 1.0.0");
    ClassLoader aLoader = runtime.routes().match("alpha", "GET", "/greet/x").orElseThrow().loader();
    ClassLoader bLoader = runtime.routes().match("bravo", "GET", "/call/x").orElseThrow().loader();
    assertThat(bLoader).isNotSameAs(aLoader);
    assertThat(bLoader.loadClass("alpha.api.Greeting"))
        .isSameAs(aLoader.loadClass("alpha.api.Greeting"));
  }

  @Test
  void callingAnotherPluginWithoutPluginsCallIsDenied() {
    runtime.install(buildConsumer(consumer("bravo", "alpha").permissions("http.routes")));

    assertThatThrownBy(() -> handle(runtime, "bravo", "GET", "/call/ada"))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessage(
            "plugin [bravo] may not call plugin [alpha]: permission [plugins.call] is not declared in its"
                + " plugin.json");
  }

  @Test
  void callingAPluginOutsideTheDependenciesIsRefused() {
    runtime.install(plugins.build(TestPlugins.simple("charlie")));
    runtime.install(
        buildConsumer(consumer("bravo", "charlie").permissions("http.routes", "plugins.call")));

    assertThatThrownBy(() -> handle(runtime, "bravo", "GET", "/call/ada"))
        .isInstanceOfSatisfying(
            PermissionDeniedException.class,
            e -> assertThat(e.permission()).isEqualTo("plugins.call"))
        .hasMessage(
            "plugin [bravo] may not call plugin [charlie]: [charlie] is not among its compatibility.dependencies");
  }

  /**
   * FORMAT.md's syntax: {@code CAS-Export-Package} lists package names separated by commas (spaces
   * around them ignored); each listed package, and no other, is shared with the plugins that depend
   * on the exporter.
   */
  @Test
  void exportAttributeListsPackagesSeparatedByCommas() throws Exception {
    PluginPackage delta =
        plugins.build(
            TestPlugins.plugin("delta")
                .exports("delta.api , delta.extra")
                .permissions("http.routes")
                .source("delta.api.A", "package delta.api; public interface A {}")
                .source("delta.extra.B", "package delta.extra; public interface B {}")
                .main(
                    "delta.impl.Main",
                    """
                    package delta.impl;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      public void initialize(PluginContext c) {
                        c.routes().register("GET", "/x", r -> HttpRoutes.Response.text(200, "d"));
                      }
                    }
                    """));
    runtime.install(delta);
    runtime.install(
        plugins.build(
            TestPlugins.plugin("echo")
                .dependsOn("delta", "^1.0.0")
                .permissions("http.routes")
                .main(
                    "test.echo.Main",
                    """
                    package test.echo;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      public void initialize(PluginContext c) {
                        c.routes().register("GET", "/x", r -> HttpRoutes.Response.text(200, "e"));
                      }
                    }
                    """),
            delta.file("backend/dist/delta.jar")));

    ClassLoader d = runtime.routes().match("delta", "GET", "/x").orElseThrow().loader();
    ClassLoader e = runtime.routes().match("echo", "GET", "/x").orElseThrow().loader();
    assertThat(e.loadClass("delta.api.A")).isSameAs(d.loadClass("delta.api.A"));
    assertThat(e.loadClass("delta.extra.B")).isSameAs(d.loadClass("delta.extra.B"));
    assertThatThrownBy(() -> e.loadClass("delta.impl.Main"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
