package dev.cas.server;

import dev.cas.runtime.TestPlugins;

/**
 * A real plugin that declares no permission but its routes and goes around the checker the ways
 * issue 18 found: work handed to the common pool as method-handle proxies (no frame of its own on
 * the stack), also scheduled on the JDK's shared schedulers, the host's classes through the system
 * class loader, the management API and the root logger. Each route answers 200 with what it got, or
 * {@code refused: <message>}.
 */
final class OutsiderPlugin {

  private OutsiderPlugin() {}

  static final String SOURCE =
      """
      package test.outsider;
      import dev.cas.plugin.api.*;
      import java.lang.invoke.*;
      import java.nio.file.*;
      import java.util.concurrent.*;
      public class Main implements Plugin {
        static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/pool-read", r -> attempt(() -> onCommonPool(
              MethodHandles.insertArguments(LOOKUP.findStatic(Files.class, "readString",
                  MethodType.methodType(String.class, Path.class)), 0,
                  Path.of(r.queryParam("path").orElseThrow())))));
          c.routes().register("GET", "/pool-folder", r -> attempt(() -> onCommonPool(
              MethodHandles.insertArguments(LOOKUP.findStatic(Files.class, "readString",
                  MethodType.methodType(String.class, Path.class)), 0,
                  Path.of(r.queryParam("path").orElseThrow())))));
          // schedulers the JDK shares: CompletableFuture's delayed executor, the common pool's
          // schedule (JDK 25; plugins compile for 21, so through reflection)
          c.routes().register("GET", "/delayed-read", r -> attempt(() -> String.valueOf(
              CompletableFuture.supplyAsync(MethodHandleProxies.asInterfaceInstance(
                  java.util.function.Supplier.class, MethodHandles.insertArguments(
                      LOOKUP.findStatic(Files.class, "readString",
                          MethodType.methodType(String.class, Path.class)), 0,
                      Path.of(r.queryParam("path").orElseThrow()))),
                  CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS)).get())));
          c.routes().register("GET", "/scheduled-read", r -> attempt(() -> String.valueOf(
              ((Future<?>) ForkJoinPool.class.getMethod("schedule", Callable.class, long.class,
                  TimeUnit.class).invoke(ForkJoinPool.commonPool(),
                  MethodHandleProxies.asInterfaceInstance(Callable.class,
                      MethodHandles.insertArguments(LOOKUP.findStatic(Files.class, "readString",
                          MethodType.methodType(String.class, Path.class)), 0,
                          Path.of(r.queryParam("path").orElseThrow()))),
                  1L, TimeUnit.MILLISECONDS)).get())));
          c.routes().register("GET", "/db", r -> attempt(() -> {
            try (java.sql.Connection db = java.sql.DriverManager.getConnection(
                r.queryParam("url").orElseThrow(), "postgres", "")) {
              return "connected as " + db.getMetaData().getUserName();
            }
          }));
          c.routes().register("GET", "/pool-db", r -> attempt(() -> onCommonPool(
              MethodHandles.insertArguments(LOOKUP.findStatic(java.sql.DriverManager.class,
                  "getConnection", MethodType.methodType(java.sql.Connection.class, String.class,
                      String.class, String.class)), 0, r.queryParam("url").orElseThrow(), "postgres", ""))));
          c.routes().register("GET", "/pool-env", r -> attempt(() -> onCommonPool(
              LOOKUP.findStatic(System.class, "getenv", MethodType.methodType(java.util.Map.class)))));
          c.routes().register("GET", "/pool-exit", r -> attempt(() -> onCommonPool(
              MethodHandles.insertArguments(LOOKUP.findStatic(System.class, "exit",
                  MethodType.methodType(void.class, int.class)), 0, 7))));
          c.routes().register("GET", "/host-class", r -> attempt(() -> String.valueOf(Class.forName(
              "org.postgresql.Driver", true, ClassLoader.getSystemClassLoader()))));
          c.routes().register("GET", "/heap", r -> attempt(() -> {
            java.lang.management.ManagementFactory.getPlatformMXBean(
                com.sun.management.HotSpotDiagnosticMXBean.class).dumpHeap("/tmp/outsider.hprof", true);
            return "dumped";
          }));
          c.routes().register("GET", "/root-logger", r -> attempt(() -> {
            java.util.logging.Logger.getLogger("").addHandler(new java.util.logging.ConsoleHandler());
            return "listening";
          }));
        }
        /** The handle as a Callable made by the JDK, run on a pool this plugin does not own. */
        static String onCommonPool(MethodHandle target) throws Exception {
          Callable<?> task = MethodHandleProxies.asInterfaceInstance(Callable.class, target);
          return String.valueOf(ForkJoinPool.commonPool().submit(task).get());
        }
        interface Attempt { String run() throws Exception; }
        static HttpRoutes.Response attempt(Attempt a) {
          try {
            return HttpRoutes.Response.text(200, a.run());
          } catch (Exception e) {
            Throwable t = e;
            while (t.getCause() != null && !(t instanceof SecurityException)) {
              t = t.getCause();
            }
            return HttpRoutes.Response.text(200, "refused: " + t.getMessage());
          }
        }
      }
      """;

  static TestPlugins.Spec spec() {
    return TestPlugins.plugin("outsider")
        .version("1.0.0")
        .main("test.outsider.Main", SOURCE)
        .permissions("http.routes");
  }
}
