package dev.cas.runtime;

import static dev.cas.runtime.HostProbe.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.plugin.api.PluginContext;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One class loader per plugin: its own libraries first, the JDK and the plugin API from the host,
 * and nothing else of the host. Uses the real Guava 20 and Guava 33 jars from Maven Central, each
 * of which has an API the other lacks (checked with javap): {@code
 * com.google.common.base.Objects.toStringHelper} is only in 20, {@code
 * ImmutableList.toImmutableList()} only in 33.
 */
class IsolationTest {

  private static final Path LIBS = Path.of(System.getProperty("cas.test.libs"));

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

  /** Reports where its Guava came from and which version the jar's manifest declares. */
  private static final String GUAVA_REPORT =
      """
        static String origin() throws Exception {
          java.net.URL where = com.google.common.base.Preconditions.class
              .getProtectionDomain().getCodeSource().getLocation();
          String file = java.nio.file.Path.of(where.toURI()).getFileName().toString();
          try (java.util.jar.JarFile jar = new java.util.jar.JarFile(java.nio.file.Path.of(where.toURI()).toFile())) {
            return file + " " + jar.getManifest().getMainAttributes().getValue("Bundle-Version")
                + " " + com.google.common.collect.ImmutableList.class.getClassLoader();
          }
        }
      """;

  private static final String OLD_GUAVA =
      """
      package test.oldguava;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/use", r -> HttpRoutes.Response.text(200,
              // Guava 20 only: removed in Guava 21.
              com.google.common.base.Objects.toStringHelper("guava").add("major", 20).toString()));
          c.routes().register("GET", "/origin", r -> HttpRoutes.Response.text(200, origin()));
        }
      %s
      }
      """
          .formatted(GUAVA_REPORT);

  private static final String NEW_GUAVA =
      """
      package test.newguava;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/use", r -> HttpRoutes.Response.text(200,
              // Guava 21+ only.
              java.util.stream.Stream.of("b", "a")
                  .collect(com.google.common.collect.ImmutableList.toImmutableList()).toString()));
          c.routes().register("GET", "/origin", r -> HttpRoutes.Response.text(200, origin()));
        }
      %s
      }
      """
          .formatted(GUAVA_REPORT);

  @Test
  void pluginsBundlingGuava20AndGuava33WorkSideBySide() throws Exception {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("old-guava")
                .main("test.oldguava.Main", OLD_GUAVA)
                .lib(LIBS.resolve("guava-old.jar"))
                .permissions("http.routes")));
    runtime.install(
        plugins.build(
            TestPlugins.plugin("new-guava")
                .main("test.newguava.Main", NEW_GUAVA)
                .lib(LIBS.resolve("guava-new.jar"))
                .permissions("http.routes")));

    assertThat(get(runtime, "old-guava", "/use")).isEqualTo("guava{major=20}");
    assertThat(get(runtime, "new-guava", "/use")).isEqualTo("[b, a]");
    assertThat(get(runtime, "old-guava", "/origin"))
        .isEqualTo("guava-old.jar 20.0.0 PluginClassLoader[old-guava]");
    assertThat(get(runtime, "new-guava", "/origin"))
        .isEqualTo("guava-new.jar 33.5.0.jre PluginClassLoader[new-guava]");
  }

  private static final String PROBE =
      """
      package test.probe;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/load/{name}", r -> {
            try {
              Class<?> type = Class.forName(r.pathParams().get("name"));
              return HttpRoutes.Response.text(200, "loaded by " + type.getClassLoader());
            } catch (ClassNotFoundException e) {
              return HttpRoutes.Response.text(404, e.toString());
            }
          });
        }
      }
      """;

  @Test
  void pluginSeesTheJdkAndTheApiButNoHostClass() throws Exception {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("probe").main("test.probe.Main", PROBE).permissions("http.routes")));

    for (String hostClass :
        new String[] {
          "dev.cas.runtime.PluginRuntime",
          "tools.jackson.databind.ObjectMapper",
          "org.semver4j.Semver"
        }) {
      assertThat(get(runtime, "probe", "/load/" + hostClass))
          .isEqualTo(
              "java.lang.ClassNotFoundException: "
                  + hostClass
                  + " (not in plugin [probe]'s jars, the JDK,"
                  + " the plugin API or the packages its dependencies export)");
    }
    assertThat(get(runtime, "probe", "/load/java.sql.Connection"))
        .isEqualTo("loaded by " + ClassLoader.getPlatformClassLoader());
    assertThat(get(runtime, "probe", "/load/javax.xml.parsers.DocumentBuilderFactory"))
        .isEqualTo("loaded by null");
    assertThat(get(runtime, "probe", "/load/dev.cas.plugin.api.PluginContext"))
        .isEqualTo("loaded by " + PluginContext.class.getClassLoader());
    ClassLoader pluginLoader =
        runtime.routes().match("probe", "GET", "/load/x").orElseThrow().loader();
    assertThat(pluginLoader.loadClass("dev.cas.plugin.api.PluginContext"))
        .isSameAs(PluginContext.class);
  }
}
