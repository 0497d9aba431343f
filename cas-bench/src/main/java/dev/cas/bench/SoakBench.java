package dev.cas.bench;

import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.RuntimeOptions;
import dev.cas.runtime.TestPlugins;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs (and activates) and uninstalls one plugin on the runtime, cycle after cycle, holding
 * each cycle's plugin class loader only weakly; samples after GC the loaders still alive, the JVM's
 * loaded class count and metaspace, and draws them into a PNG. A leak shows as lines that climb.
 */
final class SoakBench {

  private final int cycles;
  private final Path chart;

  SoakBench(int cycles, Path chart) {
    this.cycles = cycles;
    this.chart = chart;
  }

  String run() throws Exception {
    Path work = Files.createTempDirectory("cas-soak-");
    PluginPackage pkg =
        new TestPlugins(work)
            .build(
                TestPlugins.plugin("soak")
                    .main("bench.p.Main", CasContender.SOURCE)
                    .permissions("http.routes"));
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    int every = Math.max(1, cycles / 100);
    List<Double> x = new ArrayList<>();
    List<Double> alive = new ArrayList<>();
    List<Double> loaded = new ArrayList<>();
    List<Double> metaMib = new ArrayList<>();
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    List<Double> cycleMs = new ArrayList<>();
    try (PluginRuntime runtime = PluginRuntime.create(RuntimeOptions.defaults())) {
      Stats.settle();
      sample(0, loaders, classes, x, alive, loaded, metaMib);
      for (int c = 1; c <= cycles; c++) {
        long t0 = System.nanoTime();
        runtime.install(pkg);
        loaders.add(
            new WeakReference<>(
                runtime.routes().match("soak", "GET", "/ping").orElseThrow().loader()));
        runtime.uninstall("soak", false);
        cycleMs.add((System.nanoTime() - t0) / 1e6);
        if (c % every == 0) {
          Stats.settle();
          sample(c, loaders, classes, x, alive, loaded, metaMib);
        }
      }
    }
    LoadStartBench.delete(work);
    Chart.draw(
        chart,
        Stats.fmt("CAS runtime: %d install/uninstall cycles of one plugin", cycles),
        x,
        List.of(
            new Chart.Series("plugin class loaders alive after GC", alive),
            new Chart.Series("classes loaded in the JVM", loaded),
            new Chart.Series("metaspace used, MiB", metaMib)));
    int last = x.size() - 1;
    StringBuilder s = new StringBuilder("### Unload soak\n\n");
    s.append(
        Stats.fmt(
            "%d cycles of install + activate + uninstall of one plugin (one route) on the runtime,"
                + " sampled after GC every %d cycles. Chart: [bench-soak.png](bench-soak.png).%n%n",
            cycles, every));
    s.append(
        "| cycles | ms/cycle median (min–max) | loaders alive, max / at end | classes loaded,"
            + " start → end | metaspace MiB, start → max → end |\n|---|---|---|---|---|\n");
    s.append(
        Stats.fmt(
            "| %d | %s | %.0f / %.0f of %d | %.0f → %.0f | %.1f → %.1f → %.1f |%n",
            cycles,
            Stats.spread(cycleMs, 2),
            Stats.max(alive),
            alive.get(last),
            loaders.size(),
            loaded.get(0),
            loaded.get(last),
            metaMib.get(0),
            Stats.max(metaMib),
            metaMib.get(last)));
    s.append("\n![soak](bench-soak.png)\n");
    return s.toString();
  }

  private static void sample(
      int cycle,
      List<WeakReference<ClassLoader>> loaders,
      ClassLoadingMXBean classes,
      List<Double> x,
      List<Double> alive,
      List<Double> loaded,
      List<Double> metaMib) {
    x.add((double) cycle);
    alive.add((double) loaders.stream().filter(r -> r.get() != null).count());
    loaded.add((double) classes.getLoadedClassCount());
    metaMib.add(Stats.metaspaceUsed() / 1024.0 / 1024.0);
  }
}
