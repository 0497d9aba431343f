package dev.cas.bench;

import dev.cas.runtime.TestPlugins;
import dev.cas.testkit.TestHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request path of a real host (embedded PostgreSQL) with one plugin: latency at a fixed 2,000
 * req/s and peak throughput of the plugin's status, of one plugin route, and of {@code /api/health}
 * (the host's cheapest route, the stand-in for a bare handler) with and without a token. Every
 * authenticated request looks its token up in the database, so the fair comparison for route
 * dispatch is the plugin route against health with a token.
 */
final class RequestBench {

  static final int RATE = 2_000;
  private static final int CONNECTIONS = 32;

  private final Path work;
  private final double seconds;
  private final int runs;
  private final boolean metricsOnly;

  RequestBench(Path work, double seconds, int runs) {
    this(work, seconds, runs, false);
  }

  /**
   * @param metricsOnly only the plugin route with and without metrics ({@code ./bench metrics}),
   *     for more runs of that comparison in the same time
   */
  RequestBench(Path work, double seconds, int runs, boolean metricsOnly) {
    this.work = work;
    this.seconds = seconds;
    this.runs = runs;
    this.metricsOnly = metricsOnly;
  }

  /** Results and their table. */
  record Result(String markdown, double statusP99Ms, double routeToBare, double metricsRatio) {}

  private record Target(String label, String path, boolean token) {}

  Result run() throws Exception {
    TestPlugins builder = new TestPlugins(Files.createDirectories(work.resolve("plugins")));
    Path zip =
        builder.buildZip(
            TestPlugins.plugin("pinger")
                .main("bench.p.Main", CasContender.SOURCE)
                .permissions("http.routes"));
    List<Target> targets =
        List.of(
            new Target("GET /api/health, no token", "/api/health", false),
            new Target("GET /api/health, with token", "/api/health", true),
            new Target("GET /api/plugins/pinger/status", "/api/plugins/pinger/status", true),
            new Target(
                "GET /api/plugins/pinger/ping (plugin route)", "/api/plugins/pinger/ping", true));
    Map<Target, List<LoadClient.Result>> fixed = new LinkedHashMap<>();
    Map<Target, List<Double>> peaks = new LinkedHashMap<>();
    Map<Boolean, List<LoadClient.Result>> metricsFixed = new LinkedHashMap<>();
    Map<Boolean, List<Double>> metricsPeaks = new LinkedHashMap<>();
    String peakTool;
    try (TestHost host = TestHost.start(Files.createDirectories(work.resolve("host")));
        TestHost bare =
            TestHost.start(
                Files.createDirectories(work.resolve("host-no-metrics")),
                TestHost.freshEmbeddedDatabase(),
                Map.of("CAS_METRICS_ENABLED", "false"))) {
      host.install(zip);
      bare.install(zip);
      String token = host.createUser("bench", "user");
      int port = port(host);
      peakTool = Wrk.available() ? "wrk -t2 -c32" : "the Java client, 32 connections";
      for (Target t : metricsOnly ? List.<Target>of() : targets) {
        String tok = t.token() ? token : null;
        LoadClient.fixedRate(port, t.path(), tok, RATE, Math.min(2, seconds), CONNECTIONS);
        for (int run = 0; run < runs; run++) {
          fixed
              .computeIfAbsent(t, k -> new ArrayList<>())
              .add(LoadClient.fixedRate(port, t.path(), tok, RATE, seconds, CONNECTIONS));
          double peak =
              Wrk.available()
                  ? Wrk.run(host.baseUrl() + t.path(), tok, peakSeconds())
                  : LoadClient.peak(port, t.path(), tok, peakSeconds(), CONNECTIONS);
          peaks.computeIfAbsent(t, k -> new ArrayList<>()).add(peak);
        }
        System.err.printf("requests %s done%n", t.label());
      }
      // The same plugin route on a host with metrics and one without, runs interleaved so both
      // see the same machine; the ratio is one run's.
      String bareToken = bare.createUser("bench", "user");
      String route = targets.get(3).path();
      LoadClient.fixedRate(port(bare), route, bareToken, RATE, Math.min(2, seconds), CONNECTIONS);
      for (int run = 0; run < runs; run++) {
        // Which host goes first alternates: neither always gets the fresher machine.
        for (boolean on :
            run % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
          TestHost h = on ? host : bare;
          String tok = on ? token : bareToken;
          metricsFixed
              .computeIfAbsent(on, k -> new ArrayList<>())
              .add(LoadClient.fixedRate(port(h), route, tok, RATE, seconds, CONNECTIONS));
          metricsPeaks
              .computeIfAbsent(on, k -> new ArrayList<>())
              .add(
                  Wrk.available()
                      ? Wrk.run(h.baseUrl() + route, tok, peakSeconds())
                      : LoadClient.peak(port(h), route, tok, peakSeconds(), CONNECTIONS));
        }
      }
      System.err.println("requests with and without metrics done");
    }
    if (metricsOnly) {
      return metrics(new StringBuilder(), metricsFixed, metricsPeaks, Double.NaN, Double.NaN);
    }
    StringBuilder s = new StringBuilder("### Request path\n\n");
    s.append(
        Stats.fmt(
            "Host on embedded PostgreSQL with one plugin, load client in the same JVM on loopback"
                + " (%d keep-alive connections, open loop: latency counted from when each request"
                + " was due). %d runs of %.1f s at %,d req/s per row after a warm-up; peak = %s for"
                + " %d s, %d runs.%n%n",
            CONNECTIONS, runs, seconds, RATE, peakTool, peakSeconds(), runs));
    s.append(
        "| request | achieved req/s | p50 ms median (min–max) | p99 ms median (min–max) |"
            + " max ms | errors | peak req/s median (min–max) |\n|---|---|---|---|---|---|---|\n");
    for (Target t : targets) {
      List<LoadClient.Result> r = fixed.get(t);
      s.append(
          Stats.fmt(
              "| %s | %.0f | %s | %s | %.1f | %d | %s |%n",
              t.label(),
              Stats.median(r.stream().map(LoadClient.Result::achievedRps).toList()),
              Stats.spread(r.stream().map(LoadClient.Result::p50).toList(), 2),
              Stats.spread(r.stream().map(LoadClient.Result::p99).toList(), 2),
              Stats.max(r.stream().map(LoadClient.Result::max).toList()),
              r.stream().mapToLong(LoadClient.Result::errors).sum(),
              Stats.spread(peaks.get(t), 0)));
    }
    double route = Stats.median(peaks.get(targets.get(3)));
    double bare = Stats.median(peaks.get(targets.get(1)));
    s.append(
        Stats.fmt(
            "%nPlugin route / health with token (peak): %.2f×; / health without token: %.2f×.%n",
            route / bare, route / Stats.median(peaks.get(targets.get(0)))));
    double statusP99 =
        Stats.median(fixed.get(targets.get(2)).stream().map(LoadClient.Result::p99).toList());
    return metrics(s, metricsFixed, metricsPeaks, statusP99, route / bare);
  }

  private Result metrics(
      StringBuilder s,
      Map<Boolean, List<LoadClient.Result>> metricsFixed,
      Map<Boolean, List<Double>> metricsPeaks,
      double statusP99,
      double routeToBare) {
    double metricsRatio =
        Stats.median(metricsPeaks.get(true)) / Stats.median(metricsPeaks.get(false));
    s.append(
        Stats.fmt(
            "%nMetrics on the route path: the plugin route on this host (metrics on, the default)"
                + " and on a second host in the same JVM with `metrics.enabled=false`, runs"
                + " interleaved.%n%n| metrics | p50 ms median (min–max) | p99 ms median (min–max) |"
                + " peak req/s median (min–max) |%n|---|---|---|---|%n"));
    for (boolean on : new boolean[] {true, false}) {
      List<LoadClient.Result> r = metricsFixed.get(on);
      s.append(
          Stats.fmt(
              "| %s | %s | %s | %s |%n",
              on ? "on" : "off",
              Stats.spread(r.stream().map(LoadClient.Result::p50).toList(), 2),
              Stats.spread(r.stream().map(LoadClient.Result::p99).toList(), 2),
              Stats.spread(metricsPeaks.get(on), 0)));
    }
    List<Double> pairs = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      pairs.add(metricsPeaks.get(true).get(i) / metricsPeaks.get(false).get(i));
    }
    s.append(
        Stats.fmt(
            "%nPeak with metrics / without: %.3f× (ratio of the medians); run by run %s×"
                + " (median, min–max of each run's pair).%n",
            metricsRatio, Stats.spread(pairs, 3)));
    return new Result(s.toString(), statusP99, routeToBare, metricsRatio);
  }

  private static int port(TestHost host) {
    return Integer.parseInt(host.baseUrl().substring(host.baseUrl().lastIndexOf(':') + 1));
  }

  /** Whole seconds (wrk's unit) of each peak-throughput run. */
  private long peakSeconds() {
    return Math.max(1, Math.round(seconds / 2));
  }

  /** Debian's wrk, when installed, for peak throughput from another process. */
  static final class Wrk {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private Wrk() {}

    static boolean available() {
      return Files.isExecutable(Path.of("/usr/bin/wrk"));
    }

    static double run(String url, String token, long seconds)
        throws IOException, InterruptedException {
      List<String> cmd =
          new ArrayList<>(List.of("/usr/bin/wrk", "-t2", "-c32", "-d" + seconds + "s"));
      if (token != null) {
        cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
      }
      cmd.add(url);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("wrk failed: " + out);
      }
      if (NON_2XX.matcher(out).find()) {
        throw new IllegalStateException("wrk saw errors on [" + url + "]: " + out);
      }
      Matcher m = RPS.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("no Requests/sec in wrk output: " + out);
      }
      return Double.parseDouble(m.group(1));
    }
  }
}
