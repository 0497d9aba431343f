package dev.cas.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link GuardBench} with JMH in a fork with the sandbox agent and in a fork without it (same
 * launcher flags otherwise) and writes the table: µs per call of plugin and host code, the ratio
 * and the guard's own cost.
 */
final class GuardRun {

  /**
   * The launcher's server flags (./cas server), in both forks, except {@code
   * --sun-misc-unsafe-memory-access=deny} (allow instead): JMH's own harness uses {@code
   * Unsafe.objectFieldOffset}.
   */
  static final List<String> FLAGS =
      List.of(
          "-XX:-EnableDynamicAgentLoading",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.sql/java.sql=ALL-UNNAMED",
          "--illegal-native-access=deny",
          "--sun-misc-unsafe-memory-access=allow");

  private static final List<String> WORKLOADS = List.of("compute", "file", "socket");

  private final Path agent;
  private final int warmups;
  private final int iterations;
  private final long millis;

  GuardRun(Path agent, int warmups, int iterations, long millis) {
    this.agent = agent;
    this.warmups = warmups;
    this.iterations = iterations;
    this.millis = millis;
  }

  /** The agent jar: {@code -Dcas.sandbox.agent}, else the build's in the working directory. */
  static Path defaultAgent() {
    return Path.of(System.getProperty("cas.sandbox.agent", "cas-sandbox/target/cas-sandbox.jar"))
        .toAbsolutePath();
  }

  /** µs/op of each iteration by "with|without benchmark", and the table. */
  record Result(Map<String, List<Double>> scores, String markdown) {

    double median(boolean withAgent, String benchmark) {
      return Stats.median(scores.get((withAgent ? "with " : "without ") + benchmark));
    }

    double ratio(String benchmark) {
      return median(true, benchmark) / median(false, benchmark);
    }

    double extraMicros(String benchmark) {
      return median(true, benchmark) - median(false, benchmark);
    }

    /** Extra time of plugin compute with the agent, in percent of the time without. */
    double computeOverheadPct() {
      return (ratio("computePlugin") - 1) * 100;
    }
  }

  Result run() throws Exception {
    if (!Files.isRegularFile(agent)) {
      throw new IllegalStateException("no sandbox agent at [" + agent + "]: build cas-sandbox");
    }
    if (java.io.ObjectInputFilter.Config.getSerialFilter() != null) {
      // Helidon sets a JVM-wide deserialization filter when a server starts; JMH talks to its
      // forks with Java serialization, so each fork would die at the handshake.
      throw new IllegalStateException(
          "a JVM-wide serial filter is set (a Helidon server ran in this JVM): run the guards"
              + " benchmark before any host starts");
    }
    Map<String, List<Double>> scores = new LinkedHashMap<>();
    // Benchmark by benchmark, unguarded then guarded, so that load from elsewhere hits both alike.
    for (String w : WORKLOADS) {
      for (String code : List.of("Plugin", "Host")) {
        for (boolean withAgent : new boolean[] {false, true}) {
          String key = (withAgent ? "with " : "without ") + w + code;
          scores.put(key, fork(w + code, withAgent));
        }
      }
      System.err.printf("guards %s done%n", w);
    }
    return new Result(scores, markdown(scores));
  }

  /** µs/op of each measured iteration of one benchmark in one fork. */
  private List<Double> fork(String benchmark, boolean withAgent) throws Exception {
    List<String> args = new ArrayList<>(FLAGS);
    args.add("-Dcas.bench.sandbox=" + withAgent);
    if (withAgent) {
      args.add("-javaagent:" + agent);
    }
    var options =
        new OptionsBuilder()
            .include(GuardBench.class.getName() + "\\." + benchmark + "$")
            .forks(1)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.milliseconds(millis))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.milliseconds(millis))
            .jvmArgsAppend(args.toArray(String[]::new))
            .verbosity(VerboseMode.SILENT)
            .shouldFailOnError(true)
            .build();
    List<Double> perIteration = new ArrayList<>();
    for (RunResult r : new Runner(options).run()) {
      for (BenchmarkResult b : r.getBenchmarkResults()) {
        for (IterationResult i : b.getIterationResults()) {
          perIteration.add(i.getPrimaryResult().getScore());
        }
      }
    }
    if (perIteration.isEmpty()) {
      throw new IllegalStateException("JMH ran no iteration of " + benchmark);
    }
    return perIteration;
  }

  private String markdown(Map<String, List<Double>> scores) {
    StringBuilder s = new StringBuilder("### Sandbox overhead (JMH)\n\n");
    s.append(
        Stats.fmt(
            "JMH 1.37, average time per call, one fork per benchmark and setting (run in turn: unguarded, guarded), %d warm-up and %d"
                + " measured iterations of %.1f s (min–max over iterations). Plugin code: the"
                + " workload class defined again from the same bytes by a class loader registered"
                + " through `PolicyRegistry` (`network.outbound`, restrictive to the echo server's"
                + " 127.0.0.1 port; `filesystemAccess: plugin-only`); host code: the same class from"
                + " the application loader. Both forks run with the launcher's server flags"
                + " (`%s`; `allow` instead of the launcher's `--sun-misc-unsafe-memory-access=deny`, which"
                + " JMH's harness does not survive: it uses `Unsafe.objectFieldOffset`); the guarded"
                + " fork adds `-javaagent:cas-sandbox.jar` and first checks that"
                + " plugin code is denied a file outside its folder and another port. compute = 512"
                + " xorshift rounds; file = open + read 1 byte + close of a file in the plugin's"
                + " folder; socket = connect to a loopback echo server + write 1 byte + read 1 byte"
                + " + close.%n%n",
            warmups, iterations, millis / 1000.0, String.join(" ", FLAGS)));
    s.append(
        "| workload | code | unguarded µs/op median (min–max) | guarded µs/op median (min–max) |"
            + " guarded / unguarded | guard cost µs/call |\n|---|---|---|---|---|---|\n");
    for (String w : WORKLOADS) {
      for (String code : List.of("Plugin", "Host")) {
        String b = w + code;
        List<Double> without = scores.get("without " + b);
        List<Double> with = scores.get("with " + b);
        s.append(
            Stats.fmt(
                "| %s | %s | %s | %s | %.3f | %.3f |%n",
                w,
                code.toLowerCase(java.util.Locale.ROOT),
                Stats.spread(without, 3),
                Stats.spread(with, 3),
                Stats.median(with) / Stats.median(without),
                Stats.median(with) - Stats.median(without)));
      }
    }
    return s.toString();
  }
}
