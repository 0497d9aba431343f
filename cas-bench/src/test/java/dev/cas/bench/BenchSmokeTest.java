package dev.cas.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;

/**
 * Every benchmark once with tiny sizes and short durations, so the suite cannot rot: each must
 * produce finite numbers and its table. No timing is asserted.
 */
class BenchSmokeTest {

  @TempDir Path work;

  @Test
  void loadStartComparesAllThreeSystemsWarmColdWithAndWithoutClassCacheAndMemory()
      throws Exception {
    LoadStartBench bench = new LoadStartBench(work, 1, 1);
    String table = bench.run(2);
    assertThat(table).contains("| 2 | CAS |", "| 2 | PF4J 3.15.0 |", "| 2 | Felix 7.0.5 |");
    for (String c : List.of("cas", "pf4j", "felix")) {
      assertThat(bench.warm().get(c + "2"))
          .singleElement()
          .satisfies(v -> assertThat(v).isPositive());
      assertThat(bench.cold().get(c + "2"))
          .singleElement()
          .satisfies(v -> assertThat(v).isPositive());
      assertThat(bench.kibPerPlugin(c, 2)).isFinite();
    }
    assertThat(bench.ratio(bench.warm(), "cas", "pf4j", 2)).isFinite().isPositive();
    // The JDK makes no class cache for the test's class path (directories): the cells are empty.
    assertThat(table).contains("Cold with a class cache");
  }

  @Test
  void runtimeAloneProducesItsTable() throws Exception {
    assertThat(RuntimeBench.run(work, 1, 2)).contains("| 2 |", "| all |");
  }

  @Test
  void installMeasuresImportReadAndHashing() throws Exception {
    InstallBench.Result r = new InstallBench(work, 1, 1).run();
    assertThat(r.medianMs5mbEmbedded()).isNaN(); // no 5 MB package in the smoke run
    assertThat(r.markdown()).contains("| embedded |").doesNotContain("NaN");
  }

  @Test
  void logRingFillsTheRingsAndMeasuresTheirHeap() {
    LogRingBench.Result r = new LogRingBench(2, 1).run();
    assertThat(r.rows()).hasSize(2);
    assertThat(r.markdown())
        .contains(
            "### Log ring memory per plugin", "| typical | 2 | 120 |", "| at the cap | 1 | 8192 |");
  }

  @Test
  void requestPathMeasuresLatencyAndPeak() throws Exception {
    RequestBench.Result r = new RequestBench(work, 0.3, 1).run();
    assertThat(r.statusP99Ms()).isFinite().isPositive();
    assertThat(r.routeToBare()).isFinite().isPositive();
    assertThat(r.metricsRatio()).isFinite().isPositive();
    assertThat(r.markdown())
        .contains("/api/plugins/pinger/status", "Peak with metrics / without")
        .doesNotContain("NaN");
  }

  @Test
  void metricsAloneComparesTheRouteWithAndWithoutMetricsRunByRun() throws Exception {
    RequestBench.Result r = new RequestBench(work, 0.3, 2, true).run();
    assertThat(r.metricsRatio()).isFinite().isPositive();
    assertThat(r.markdown())
        .contains("| on |", "| off |", "run by run")
        .doesNotContain("/api/plugins/pinger/status");
  }

  @Test
  void scanMeasuresMegabytesOfBytecodePerSecond() throws Exception {
    Path asm =
        Path.of(ClassReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ScanBench.Result r = new ScanBench(work, 1, List.of(asm)).run();
    assertThat(r.mbPerSecond()).isFinite().isPositive();
    assertThat(r.markdown()).contains("| 1 |").doesNotContain("NaN");
  }

  @Test
  void upgradeUnderLoadSwitchesWithoutFailedRequests() throws Exception {
    UpgradeBench.Result r = new UpgradeBench(work, 1, 1.5).run();
    assertThat(r.switchMs()).isFinite().isPositive();
    assertThat(r.rollbackMs()).isFinite().isPositive();
    assertThat(r.failed())
        .as("failed or non-2xx requests during the upgrade and the rolled-back one")
        .isZero();
    assertThat(r.markdown()).contains("| 0 | 0 |").doesNotContain("NaN");
  }

  @Test
  void soakDrawsItsChart() throws Exception {
    Path chart = work.resolve("soak.png");
    String table = new SoakBench(10, chart).run();
    assertThat(table).contains("| 10 |").doesNotContain("NaN");
    assertThat(ImageIO.read(chart.toFile()).getWidth()).isPositive();
  }
}
