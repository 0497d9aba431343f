package dev.cas.sandbox;

import dev.cas.packaging.PackageReader;
import dev.cas.packaging.ReadOptions;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.PluginUsage;
import dev.cas.runtime.RuntimeOptions;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

/**
 * The host of the hostile-plugin suite, run in a child JVM (with or without the agent): installs
 * the plugin packages given as arguments on a real runtime, then does as the host what the plugins
 * were refused, and finally exits with status 42 — which only a host may do.
 */
public final class HostileProbe {

  private HostileProbe() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(System.getProperty("sbx.work"));
    String defaults = defaults();
    // A process of the host's that the plugins try to kill and to read the command line of.
    Process victim = new ProcessBuilder("sleep", "120").start();
    System.setProperty("sbx.victimPid", Long.toString(victim.pid()));
    System.out.println("HOST victim pid " + victim.pid());
    // A host object a plugin can reach (a copy of the properties still holds it): a deputy.
    HostDeputy deputy = new HostDeputy();
    System.getProperties().put("sbx.deputy", deputy);
    if ("pool".equals(System.getProperty("sbx.mode"))) {
      deputy.hold(); // what the plugin schedules on the host's scheduler and timer waits
    }
    // The host configures logging before any plugin runs, as cas-server does.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
    int rootHandlers = java.util.logging.Logger.getLogger("").getHandlers().length;
    RuntimeOptions options = RuntimeOptions.defaults();
    if ("bench".equals(System.getProperty("sbx.mode"))) {
      // The measurement loop runs in the plugin's initialize: on a busy machine it outlasts the
      // default 10 s lifecycle deadline, which is not what this run measures.
      options = options.withLifecycleTimeout(java.time.Duration.ofMinutes(10));
    }
    try (PluginRuntime runtime = PluginRuntime.create(options)) {
      for (String zip : args) {
        Path z = Path.of(zip);
        Path folder = work.resolve("installed-" + z.getFileName());
        var pkg = PackageReader.create(ReadOptions.defaults()).read(z, folder);
        if (System.getProperty("sbx.outside") != null) {
          // Links in the plugin's folder that the host made: one to a secret, one to its folder.
          Path outside = Path.of(System.getProperty("sbx.outside"));
          Files.createSymbolicLink(folder.resolve("escape"), outside);
          Files.createSymbolicLink(folder.resolve("up"), outside.getParent());
        }
        try {
          runtime.install(pkg);
        } catch (RuntimeException e) {
          System.out.println("INSTALL-FAILED " + z.getFileName() + " " + e);
        }
      }
      if ("bench".equals(System.getProperty("sbx.mode"))) {
        bench(work.resolve("bench.txt"));
      } else if ("pool".equals(System.getProperty("sbx.mode"))) {
        stopPoolWork(runtime, work, deputy);
      } else {
        System.out.println("HOST defaults unchanged " + defaults.equals(defaults()));
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        System.out.println(
            "HOST logging unchanged "
                + (root.getHandlers().length == rootHandlers
                    && root.getLevel() == java.util.logging.Level.INFO
                    && java.util.logging.Logger.getLogger("dev.cas.runtime").getLevel() == null
                    && java.util.logging.LogManager.getLogManager()
                            .getLogger("dev.cas.sandbox.registered")
                        == null));
        System.out.println(
            "HOST management "
                + (java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() > 0));
        System.out.println("HOST pool property " + System.getProperty("sbx.pool"));
        System.out.println("HOST victim alive " + victim.isAlive());
        System.out.println(
            "HOST victim info " + victim.info().commandLine().orElse("").contains("sleep"));
        victim.destroyForcibly().waitFor();
        System.out.println("HOST victim stopped " + !victim.isAlive());
        hostMayDoIt();
      }
    }
    System.out.println("ALIVE");
    System.out.flush();
    System.exit(42);
  }

  /**
   * Deactivates the {@code pooled} plugin, which left work on the common pool and the host's
   * scheduler and timer (held busy by the host until then, so that work waits), and reports what
   * its pool work did once every piece of it was either stopped (the two running) or refused (the
   * seven queued or due later).
   */
  private static void stopPoolWork(PluginRuntime runtime, Path work, HostDeputy deputy)
      throws Exception {
    runtime.deactivate("pooled", false);
    deputy.release();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    PluginUsage usage = runtime.usage("pooled").orElseThrow();
    while ((usage.poolStopped() < 2 || usage.poolCancelled() < 7)
        && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
      usage = runtime.usage("pooled").orElseThrow();
    }
    System.out.println(
        "POOL usage tasks "
            + usage.poolTasks()
            + " cancelled "
            + usage.poolCancelled()
            + " stopped "
            + usage.poolStopped()
            + " cpu "
            + usage.poolCpuNanos()
            + " bytes "
            + usage.poolAllocatedBytes());
    try (var folders = Files.list(work)) {
      Path marks =
          folders
              .filter(f -> f.getFileName().toString().startsWith("installed-"))
              .findFirst()
              .orElseThrow()
              .resolve("marks");
      try (var files = Files.list(marks)) {
        System.out.println(
            "POOL marks " + files.map(f -> f.getFileName().toString()).sorted().toList());
      }
      runtime.uninstall("pooled", false);
      System.out.println("POOL uninstalled " + Files.exists(marks.resolve("uninstall-4032")));
    }
  }

  /** The allowed-policy variant of the catastrophic operations: the host is not a plugin. */
  private static void hostMayDoIt() throws Exception {
    System.out.println("HOST process " + new ProcessBuilder("true").start().waitFor());
    Thread t = new Thread(() -> {});
    t.start();
    t.join();
    System.out.println("HOST thread started");
    System.setProperty("sbx.host", "1");
    System.out.println("HOST property set");
    System.out.println(
        "HOST read " + Files.readAllBytes(Path.of(System.getProperty("sbx.outside"))).length);
    try (Socket s = new Socket("127.0.0.1", Integer.getInteger("sbx.otherPort"))) {
      System.out.println("HOST connected " + s.isConnected());
    }
    System.out.println(
        "HOST resolved "
            + (InetAddress.getByName("localhost").isLoopbackAddress()
                && !InetAddress.getByName("127.0.0.1").getHostName().isEmpty()));
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      System.out.println("HOST listening " + (server.getLocalPort() > 0));
    }
    System.out.println("HOST environment " + (System.getenv("PATH") != null));
    System.out.println(
        "HOST plugin wrote no property " + (System.getProperty("sbx.through") == null));
    System.getProperties().put("sbx.live", "1");
    System.out.println("HOST live properties " + "1".equals(System.getProperty("sbx.live")));
    try (URLClassLoader loader = new URLClassLoader(new URL[0])) {
      System.out.println(
          "HOST class loader " + (loader.getParent() != null && HostLoaderApi.newLoader() != null));
    }
    Path outside = Path.of(System.getProperty("sbx.outside"));
    System.out.println(
        "HOST metadata " + (Files.exists(outside) && outside.toFile().length() == 11));
  }

  /** The JVM-wide defaults the plugins tried to change. */
  private static String defaults() {
    return Locale.getDefault()
        + " "
        + Locale.getDefault(Locale.Category.FORMAT)
        + " "
        + TimeZone.getDefault().getID()
        + " "
        + System.identityHashCode(System.out)
        + " "
        + System.identityHashCode(ProxySelector.getDefault());
  }

  private static void bench(Path file) throws IOException {
    Files.writeString(file, "x");
    int n = Integer.getInteger("sbx.benchOps");
    for (int round = 0; round < 2; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
          in.read();
        }
      }
      if (round == 1) {
        System.out.println("BENCH host " + (System.nanoTime() - start) / n);
      }
    }
  }
}
