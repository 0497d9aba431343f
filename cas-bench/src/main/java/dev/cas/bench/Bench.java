package dev.cas.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code ./bench}: runs one benchmark or all of them and prints Markdown; with
 * {@code --write FILE} it also replaces the generated part of {@code BENCHMARKS.md}.
 *
 * <pre>
 * bench [--write BENCHMARKS.md] [--chart bench-soak.png] [all [runs]]
 * bench compare [runs] [N…]     CAS vs PF4J vs Felix, warm, cold and memory (default 5 20 100 500)
 * bench runtime [runs] [N…]     the runtime alone (default 5 20 100)
 * bench install [runs]          5 MB and 50 MB packages on embedded and external PostgreSQL
 * bench requests [seconds]      status, plugin route and health at 2,000 req/s, and peak
 * bench soak [cycles]           install/uninstall cycles, loaders and metaspace (default 1000)
 * bench guards [iterations]     sandbox overhead with JMH, with and without the agent (default 5)
 * bench scan [runs]             static security scan time per MB of bytecode (default 5)
 * bench upgrade [runs]          blue-green upgrade under load: switch time, failed requests
 * bench restart [runs] [N]      a host restart with N plugins installed, from process start
 * bench metrics [seconds] [runs] the plugin route with and without metrics only (4 s, 9 runs)
 * bench logring [N] [M]         a full log ring's heap per plugin: N typical, M capped (100 10)
 * </pre>
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] argv) throws Exception {
    Bench.quietLogging();
    List<String> args = new ArrayList<>(Arrays.asList(argv));
    Path out = option(args, "--write");
    Path chart = option(args, "--chart");
    // The older form "./bench [runs] [N…]" (as in the README) still runs the runtime benchmark.
    String what = args.isEmpty() ? "all" : args.get(0).matches("\\d+") ? "runtime" : args.remove(0);
    Path work = Files.createTempDirectory("cas-bench-");
    Report report = new Report(chart == null ? work.resolve("bench-soak.png") : chart);
    switch (what) {
      case "all" -> report.all(work, args.isEmpty() ? 5 : Integer.parseInt(args.get(0)));
      case "compare" -> report.compare(work, intOr(args, 0, 5), sizes(args, 20, 100, 500));
      case "runtime" -> report.runtime(work, intOr(args, 0, 5), sizes(args, 20, 100));
      case "install" -> report.install(work, intOr(args, 0, 5));
      case "requests" -> report.requests(work, intOr(args, 0, 8));
      case "metrics" -> report.metrics(work, intOr(args, 0, 4), intOr(args, 1, 9));
      case "soak" -> report.soak(work, intOr(args, 0, 1000));
      case "guards" -> report.guards(3, intOr(args, 0, 5), 1000);
      case "scan" -> report.scan(work, intOr(args, 0, 5));
      case "upgrade" -> report.upgrade(work, intOr(args, 0, 5));
      case "restart" -> report.restart(work, intOr(args, 0, 5), intOr(args, 1, 100));
      case "logring" -> report.logRing(intOr(args, 0, 100), intOr(args, 1, 10));
      default -> throw new IllegalArgumentException("unknown benchmark [" + what + "]");
    }
    System.out.println(report.markdown());
    if (out != null) {
      report.writeInto(out);
      System.err.println("wrote " + out);
    }
    LoadStartBench.delete(work);
    System.exit(0);
  }

  /** The host logs through logback; only errors, on stderr, so stdout holds the tables. */
  static void quietLogging() {
    System.setProperty("logback.configurationFile", "bench-logback.xml");
  }

  private static Path option(List<String> args, String name) {
    int i = args.indexOf(name);
    if (i < 0) {
      return null;
    }
    Path p = Path.of(args.get(i + 1)).toAbsolutePath();
    args.remove(i + 1);
    args.remove(i);
    return p;
  }

  private static int intOr(List<String> args, int index, int fallback) {
    return args.size() > index ? Integer.parseInt(args.get(index)) : fallback;
  }

  private static int[] sizes(List<String> args, int... fallback) {
    return args.size() > 1
        ? args.subList(1, args.size()).stream().mapToInt(Integer::parseInt).toArray()
        : fallback;
  }
}
