package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.PluginPackage;
import java.lang.ref.Reference;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unloaded plugins' class loaders are collected, 200 times over, and metaspace stays flat; when a
 * plugin does leak (a thread of its own, a thread-local on a host thread, a JDBC driver in {@link
 * DriverManager}), the leak detector names the plugin and what holds its loader.
 */
class LeakTest {

  private static final int CYCLES = 200;
  private static final int WARM_UP = 20;

  /**
   * Measured on JDK 25 with the plugin below: 0.4 to 0.9 MiB of growth from the 20th to the 200th
   * cycle when every loader is collected (JIT and java.lang.invoke caches), about 20 MiB when the
   * loaders are kept.
   */
  private static final long METASPACE_BOUND = 4L << 20;

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

  private static final int PARTS = 25;

  /**
   * A plugin of some realistic weight: besides its main class and two lambdas, {@value #PARTS}
   * classes with ten methods each, all loaded in {@code initialize}. A loader that leaked would
   * keep all of them in metaspace.
   */
  private static String cyclerSource() {
    StringBuilder src =
        new StringBuilder(
            """
            package test.cycler;
            import dev.cas.plugin.api.*;
            public class Main implements Plugin {
              public void initialize(PluginContext c) {
                int weight = 0;
            """);
    for (int i = 0; i < PARTS; i++) {
      src.append("    weight += new Part").append(i).append("().m9(1);\n");
    }
    src.append(
        """
            int total = weight;
            c.routes().register("GET", "/ping", r -> HttpRoutes.Response.text(200, "pong " + c.pluginVersion() + " " + total));
            c.events().subscribe("host:plugin:*", e -> {});
          }
        """);
    for (int i = 0; i < PARTS; i++) {
      src.append("  static final class Part")
          .append(i)
          .append(" {\n    int a = ")
          .append(i)
          .append(";\n");
      for (int m = 0; m < 10; m++) {
        src.append("    int m")
            .append(m)
            .append("(int x) { return ")
            .append(m == 0 ? "x + a" : "m" + (m - 1) + "(x) + " + m)
            .append("; }\n");
      }
      src.append("  }\n");
    }
    return src.append("}\n").toString();
  }

  @Test
  void installingAndUninstallingTwoHundredTimesLeavesNoLoaderAndFlatMetaspace() throws Exception {
    PluginPackage built =
        plugins.build(
            TestPlugins.plugin("cycler")
                .main("test.cycler.Main", cyclerSource())
                .permissions("http.routes", "events.subscribe"));
    long baseline = 0;
    long start = System.nanoTime();
    for (int i = 1; i <= CYCLES; i++) {
      cycle(plugins.reread(built));
      if (i == WARM_UP) {
        assertThat(runtime.leakDetector().check(Duration.ofSeconds(10))).isEmpty();
        baseline = HostProbe.metaspaceUsedAfterGc();
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(runtime.leakDetector().check(Duration.ofSeconds(10))).isEmpty();
    long after = HostProbe.metaspaceUsedAfterGc();
    long growth = after - baseline;
    System.out.printf(
        "leak test: %d install/uninstall cycles in %d ms; metaspace after %d cycles %.2f MiB, after %d"
            + " cycles %.2f MiB, growth %.3f MiB (bound %.0f MiB)%n",
        CYCLES,
        millis,
        WARM_UP,
        mib(baseline),
        CYCLES,
        mib(after),
        mib(growth),
        mib(METASPACE_BOUND));
    assertThat(growth).isLessThan(METASPACE_BOUND);
  }

  private void cycle(PluginPackage pkg) throws Exception {
    runtime.install(pkg);
    assertThat(HostProbe.get(runtime, "cycler", "/ping")).isEqualTo("pong 1.0.0 1450");
    runtime.uninstall("cycler", false);
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  @Test
  void detectorNamesAThreadThePluginStartedAndLeftRunning() throws Exception {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("leaky-thread")
                .main(
                    "test.leakythread.Main",
                    """
                    package test.leakythread;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      public void initialize(PluginContext c) {}
                      public void activate() {
                        // Not through context.tasks(), and never stopped in deactivate().
                        Thread t = new Thread(() -> {
                          try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) { }
                        }, "leaky-worker");
                        t.setDaemon(true);
                        t.start();
                      }
                    }
                    """)));
    runtime.uninstall("leaky-thread", false);

    try {
      assertThat(runtime.leakDetector().check(Duration.ofSeconds(1)))
          .containsExactly(
              new LeakDetector.Leak(
                  "leaky-thread",
                  List.of(
                      "thread [leaky-worker] has the plugin's loader as context class loader")));
    } finally {
      stopThread("leaky-worker");
    }
    assertThat(runtime.leakDetector().check(Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void detectorNamesAThreadLocalThePluginLeftOnAHostThread() throws Exception {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("leaky-local")
                .permissions("http.routes")
                .main(
                    "test.leakylocal.Main",
                    """
                    package test.leakylocal;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      static final ThreadLocal<Object> LAST = new ThreadLocal<>();
                      static final class Memo {}
                      public void initialize(PluginContext c) {
                        // Runs on the caller's thread, a host thread, and never removes the value.
                        c.routes().register("GET", "/remember", r -> {
                          LAST.set(new Memo());
                          return HttpRoutes.Response.text(200, "remembered");
                        });
                      }
                    }
                    """)));
    assertThat(HostProbe.get(runtime, "leaky-local", "/remember")).isEqualTo("remembered");
    runtime.uninstall("leaky-local", false);

    try {
      assertThat(runtime.leakDetector().check(Duration.ofSeconds(1)))
          .containsExactly(
              new LeakDetector.Leak(
                  "leaky-local",
                  List.of(
                      "thread-local of thread ["
                          + Thread.currentThread().getName()
                          + "] holds a test.leakylocal.Main$Memo")));
    } finally {
      removePluginThreadLocals();
    }
    assertThat(runtime.leakDetector().check(Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void detectorNamesAJdbcDriverThePluginLeftInDriverManager() throws Exception {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("leaky-driver")
                .main(
                    "test.leakydriver.Main",
                    """
                    package test.leakydriver;
                    import dev.cas.plugin.api.*;
                    import java.sql.*;
                    import java.util.Properties;
                    public class Main implements Plugin {
                      public static final class NullDriver implements Driver {
                        public Connection connect(String url, Properties info) { return null; }
                        public boolean acceptsURL(String url) { return url.startsWith("jdbc:null:"); }
                        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
                          return new DriverPropertyInfo[0];
                        }
                        public int getMajorVersion() { return 1; }
                        public int getMinorVersion() { return 0; }
                        public boolean jdbcCompliant() { return false; }
                        public java.util.logging.Logger getParentLogger() {
                          return java.util.logging.Logger.getLogger("null-driver");
                        }
                      }
                      public void initialize(PluginContext c) throws SQLException {
                        // Registered and never deregistered.
                        DriverManager.registerDriver(new NullDriver());
                      }
                    }
                    """)));
    runtime.uninstall("leaky-driver", false);

    try {
      assertThat(runtime.leakDetector().check(Duration.ofSeconds(1)))
          .containsExactly(
              new LeakDetector.Leak(
                  "leaky-driver",
                  List.of(
                      "static registry java.sql.DriverManager holds driver test.leakydriver.Main$NullDriver")));
    } finally {
      removePluginDrivers();
    }
    assertThat(runtime.leakDetector().check(Duration.ofSeconds(5))).isEmpty();
  }

  private static void stopThread(String name) throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        t.interrupt();
        t.join(5_000);
      }
    }
  }

  /** Removes this thread's thread-locals whose value a plugin class loader defined. */
  private static void removePluginThreadLocals() throws ReflectiveOperationException {
    Field mapField = Thread.class.getDeclaredField("threadLocals");
    mapField.setAccessible(true);
    Object map = mapField.get(Thread.currentThread());
    Field tableField = map.getClass().getDeclaredField("table");
    tableField.setAccessible(true);
    Object table = tableField.get(map);
    for (int i = 0; i < Array.getLength(table); i++) {
      Object entry = Array.get(table, i);
      if (entry == null) {
        continue;
      }
      Field valueField = entry.getClass().getDeclaredField("value");
      valueField.setAccessible(true);
      Object value = valueField.get(entry);
      if (value != null && value.getClass().getClassLoader() instanceof PluginClassLoader) {
        ((ThreadLocal<?>) ((Reference<?>) entry).get()).remove();
      }
    }
  }

  /**
   * Removes drivers a plugin class loader defined from {@link DriverManager}. Its own {@code
   * deregisterDriver} refuses callers whose loader cannot see the driver class, so the registry is
   * edited directly (the test JVM opens {@code java.sql}).
   */
  private static void removePluginDrivers() throws ReflectiveOperationException {
    Field registry = DriverManager.class.getDeclaredField("registeredDrivers");
    registry.setAccessible(true);
    List<?> infos = (List<?>) registry.get(null);
    for (Object info : infos) {
      Field driverField = info.getClass().getDeclaredField("driver");
      driverField.setAccessible(true);
      if (driverField.get(info).getClass().getClassLoader() instanceof PluginClassLoader) {
        infos.remove(info);
      }
    }
  }
}
