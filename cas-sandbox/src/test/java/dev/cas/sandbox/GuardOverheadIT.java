package dev.cas.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A micro-measurement, not a timed assertion: the cost of the file-open guard. The same loop (open
 * a small file, read a byte, close) runs in plugin code on its own folder and in host code, once in
 * a JVM with the agent and once without; the ratios go to {@code target/sandbox-overhead.txt} and
 * the build log.
 */
class GuardOverheadIT {

  private static final int OPS = 20_000;

  @TempDir Path work;

  @Test
  void measuresTheFileOpenGuard() throws Exception {
    Path zip =
        new TestPlugins(work.resolve("build"))
            .buildZip(
                TestPlugins.plugin("granted")
                    .main("attack.Main", HostilePluginIT.attackSource())
                    .sandbox("{\"filesystemAccess\": \"plugin-only\"}"));
    ChildJvm.Run guarded = ChildJvm.run(true, props("guarded"), List.of(zip));
    ChildJvm.Run plain = ChildJvm.run(false, props("plain"), List.of(zip));
    assertThat(guarded.exitCode()).as(String.join("\n", guarded.lines())).isEqualTo(42);
    assertThat(plain.exitCode()).as(String.join("\n", plain.lines())).isEqualTo(42);
    String report =
        String.format(
            Locale.ROOT,
            "file open+read+close, %d ops, ns/op (second round)%n"
                + "plugin code: %d guarded vs %d unguarded = %.2fx%n"
                + "host code:   %d guarded vs %d unguarded = %.2fx%n",
            OPS,
            guarded.bench("plugin"),
            plain.bench("plugin"),
            (double) guarded.bench("plugin") / plain.bench("plugin"),
            guarded.bench("host"),
            plain.bench("host"),
            (double) guarded.bench("host") / plain.bench("host"));
    System.out.print(report);
    Files.writeString(Path.of("target", "sandbox-overhead.txt"), report);
  }

  private Map<String, String> props(String run) throws java.io.IOException {
    Path dir = Files.createDirectories(work.resolve(run));
    return Map.of("sbx.work", dir.toString(), "sbx.mode", "bench", "sbx.benchOps", "" + OPS);
  }
}
