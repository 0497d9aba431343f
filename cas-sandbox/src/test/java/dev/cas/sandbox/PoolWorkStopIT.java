package dev.cas.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work a plugin left on pools and timers it does not own stops with it: a real plugin ({@code
 * pooled}) occupies both workers of the common pool with CPU-heavy tasks, queues more behind them
 * and schedules tasks on the common pool's, the host's scheduler and the host's {@code Timer}; then
 * the host deactivates it, in a child JVM with the built agent.
 */
class PoolWorkStopIT {

  @TempDir static Path work;

  @Test
  void queuedWorkOfADeactivatedPluginNeverRunsAndRunningWorkIsStoppedAndCharged() throws Exception {
    TestPlugins plugins = new TestPlugins(work.resolve("build"));
    Path zip =
        plugins.buildZip(
            TestPlugins.plugin("pooled")
                .main("pool.Main", source())
                .sandbox("{\"filesystemAccess\": \"plugin-only\"}"));
    ChildJvm.Run run =
        ChildJvm.run(
            true,
            Map.of(
                "sbx.work", work.toString(),
                "sbx.mode", "pool",
                "java.util.concurrent.ForkJoinPool.common.parallelism", "2"),
            List.of(zip));
    String all = String.join("\n", run.lines());
    assertThat(run.lines()).as(all).contains("POOL queued", "ALIVE");

    List<String> marks = Arrays.asList(line(run, "POOL marks [").replace("]", "").split(", "));
    // The running ones were stopped (their finally blocks ran); nothing queued or due ran.
    assertThat(marks)
        .as(all)
        .contains("heavy-0-started", "heavy-0-ended", "heavy-1-started", "heavy-1-ended");
    assertThat(marks).as(all).noneMatch(m -> m.startsWith("queued-") || m.startsWith("scheduled-"));

    String[] usage = line(run, "POOL usage ").split(" ");
    // tasks <n> cancelled <n> stopped <n> cpu <n> bytes <n>
    assertThat(Long.parseLong(usage[1])).as("tasks\n" + all).isGreaterThanOrEqualTo(2);
    assertThat(Long.parseLong(usage[3])).as("cancelled\n" + all).isEqualTo(7);
    assertThat(Long.parseLong(usage[5])).as("stopped\n" + all).isEqualTo(2);
    assertThat(Long.parseLong(usage[7])).as("pool CPU charged to the plugin\n" + all).isPositive();
    // Its uninstall, after the deactivation, may still use the common pool (a parallel stream).
    assertThat(run.lines()).as(all).contains("POOL uninstalled true");
  }

  private static String line(ChildJvm.Run run, String prefix) {
    return run.lines().stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no [" + prefix + "] in " + run.lines()));
  }

  private static String source() throws IOException {
    try (InputStream in =
        PoolWorkStopIT.class.getResourceAsStream("/plugins/PoolPlugin.java.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
