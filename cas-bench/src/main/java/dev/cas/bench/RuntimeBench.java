package dev.cas.bench;

import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.RuntimeOptions;
import dev.cas.runtime.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loading, starting and unloading N small plugins on the runtime, several runs in one JVM: time to
 * install and activate all N (dependency order, class loaders, initialize, activate), heap and
 * metaspace held per idle plugin, time to unload all, and whether every class loader was collected.
 * Packages are read before timing: this isolates the runtime's part of {@link LoadStartBench}.
 */
final class RuntimeBench {

  private RuntimeBench() {}

  /** Runs {@code runs} runs (after a warm-up run) per size; returns the Markdown section. */
  static String run(Path work, int runs, int... sizes) throws Exception {
    TestPlugins builder = new TestPlugins(Files.createDirectories(work));
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
                    .main("bench.p.Main", CasContender.SOURCE)
                    .permissions("http.routes")));
      }
      List<Double> start = new ArrayList<>();
      List<Double> unload = new ArrayList<>();
      List<Double> heap = new ArrayList<>();
      List<Double> meta = new ArrayList<>();
      boolean allCollected = true;
      for (int run = 0; run < runs + 1; run++) {
        Stats.settle();
        long heap0 = Stats.heapUsed();
        long meta0 = Stats.metaspaceUsed();
        PluginRuntime runtime = PluginRuntime.create(RuntimeOptions.defaults());
        long t0 = System.nanoTime();
        runtime.installAll(packages);
        long t1 = System.nanoTime();
        Stats.settle();
        long heap1 = Stats.heapUsed();
        long meta1 = Stats.metaspaceUsed();
        long t2 = System.nanoTime();
        runtime.close();
        long t3 = System.nanoTime();
        boolean collected = runtime.leakDetector().check(Duration.ofSeconds(10)).isEmpty();
        if (run == 0) {
          System.err.printf("runtime N=%d warm-up run: %.1f ms%n", n, (t1 - t0) / 1e6);
          continue;
        }
        allCollected &= collected;
        start.add((t1 - t0) / 1e6);
        unload.add((t3 - t2) / 1e6);
        heap.add((heap1 - heap0) / 1024.0 / n);
        meta.add((meta1 - meta0) / 1024.0 / n);
      }
      table.append(
          Stats.fmt(
              "| %d | %.1f (%.1f–%.1f) | %.2f | %.0f | %.0f | %.1f | %s |%n",
              n,
              Stats.median(start),
              Stats.min(start),
              Stats.max(start),
              Stats.median(start) / n,
              Stats.median(heap),
              Stats.median(meta),
              Stats.median(unload),
              allCollected ? "all" : "NOT ALL"));
    }
    return "### Runtime alone: install and activate already-read packages, unload\n\n"
        + Stats.fmt(
            "%d runs per row in one JVM after a warm-up run; packages read before timing.%n%n",
            runs)
        + table;
  }
}
