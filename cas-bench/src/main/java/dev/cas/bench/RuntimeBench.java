package dev.cas.bench;

import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.RuntimeOptions;
import dev.cas.runtime.TestPlugins;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loading, starting and unloading N small plugins on the runtime, several runs in one JVM: time to
 * install and activate all N (dependency order, class loaders, initialize, activate), heap and
 * metaspace held per idle plugin, time to unload all, and whether every class loader was collected.
 * Prints a Markdown table (median and range over the runs).
 *
 * <p>Arguments: {@code [runs] [N…]}, default {@code 5 20 100}.
 */
public final class RuntimeBench {

  private static final String SOURCE =
      """
      package bench.p;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/ping", r -> HttpRoutes.Response.text(200, "pong"));
        }
      }
      """;

  private RuntimeBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {20, 100};
    Path work = Files.createTempDirectory("cas-bench-");
    TestPlugins builder = new TestPlugins(work);
    StringBuilder table = new StringBuilder();
    table.append(
        "| plugins | load+start ms (median, min–max) | per plugin ms | heap KiB/plugin | metaspace KiB/plugin | unload ms | loaders collected |\n");
    table.append("|---|---|---|---|---|---|---|\n");
    for (int n : sizes) {
      List<PluginPackage> packages = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        packages.add(
            builder.build(
                TestPlugins.plugin("bench-" + n + "-" + i)
                    .main("bench.p.Main", SOURCE)
                    .permissions("http.routes")));
      }
      List<Double> start = new ArrayList<>();
      List<Double> unload = new ArrayList<>();
      List<Double> heap = new ArrayList<>();
      List<Double> meta = new ArrayList<>();
      boolean allCollected = true;
      for (int run = 0; run < runs + 1; run++) {
        settle();
        long heap0 = heapUsed();
        long meta0 = metaspaceUsed();
        PluginRuntime runtime = PluginRuntime.create(RuntimeOptions.defaults());
        long t0 = System.nanoTime();
        runtime.installAll(packages);
        long t1 = System.nanoTime();
        settle();
        long heap1 = heapUsed();
        long meta1 = metaspaceUsed();
        long t2 = System.nanoTime();
        runtime.close();
        long t3 = System.nanoTime();
        boolean collected = runtime.leakDetector().check(Duration.ofSeconds(10)).isEmpty();
        if (run == 0) {
          System.err.printf("N=%d first run (JIT cold): load+start %.1f ms%n", n, (t1 - t0) / 1e6);
          continue;
        }
        allCollected &= collected;
        start.add((t1 - t0) / 1e6);
        unload.add((t3 - t2) / 1e6);
        heap.add((heap1 - heap0) / 1024.0 / n);
        meta.add((meta1 - meta0) / 1024.0 / n);
      }
      table.append(
          String.format(
              "| %d | %.1f (%.1f–%.1f) | %.2f | %.0f | %.0f | %.1f | %s |%n",
              n,
              median(start),
              min(start),
              max(start),
              median(start) / n,
              median(heap),
              median(meta),
              median(unload),
              allCollected ? "all" : "NOT ALL"));
    }
    System.out.println(
        "Runtime, "
            + runs
            + " runs per row, one JVM (Java "
            + Runtime.version()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs):\n");
    System.out.print(table);
  }

  private static void settle() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long metaspaceUsed() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getName().equals("Metaspace"))
        .mapToLong(p -> p.getUsage().getUsed())
        .sum();
  }

  private static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    return s.size() % 2 == 1
        ? s.get(s.size() / 2)
        : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }
}
