package dev.cas.bench;

import dev.cas.runtime.TestPlugins;
import dev.cas.testkit.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Blue-green upgrade on a real host (embedded PostgreSQL): a plugin route answers its version under
 * a constant open-loop load while {@code POST /api/plugins/import?upgrade=true} replaces the plugin
 * with the next version. Per run: the upgrade request's duration, the switch time (from sending the
 * upgrade to the first response of the new version), and the requests during the switch, failed
 * (connection errors) and non-2xx. The first upgrade is a warm-up. Then as many upgrades to a
 * version whose health check turns down once the host watches it ({@code upgrade.observe.seconds} =
 * 1): the host switches the old version back in and rolls the upgrade back; measured are the
 * refused upgrade request's duration, how long the bad version answered, and failed and non-2xx
 * requests.
 */
final class UpgradeBench {

  static final int RATE = 1_000;
  private static final int CONNECTIONS = 16;
  private static final String ROUTE = "/api/plugins/upgrader/version";

  private final Path work;
  private final int runs;
  private final double loadSeconds;

  UpgradeBench(Path work, int runs, double loadSeconds) {
    this.work = work;
    this.runs = runs;
    this.loadSeconds = loadSeconds;
  }

  /** How long the host watches a new version after an upgrade, in this bench. */
  static final String OBSERVE_SECONDS = "1";

  /** Results and their table; {@code failed} counts the rolled-back upgrades' requests too. */
  record Result(String markdown, long failed, double switchMs, double rollbackMs) {}

  /** What one rolled-back upgrade measured; times in ms. */
  private record Rollback(
      double requestMs, double badServedMs, long requests, long failed, long non2xx) {}

  /** What one upgrade measured; times in ms. */
  private record Run(
      double requestMs,
      double switchMs,
      long during,
      long requests,
      long failed,
      long non2xx,
      double p99Ms,
      double maxMs) {}

  static TestPlugins.Spec version(int major) {
    return version(major + ".0.0", "return HealthStatus.ok();");
  }

  /** A version whose health check passes once (the gate's first look), then fails. */
  static TestPlugins.Spec failing(String version) {
    return version(
        version,
        "return checks.incrementAndGet() < 2 ? HealthStatus.ok() : HealthStatus.unhealthy(\"bad\");");
  }

  private static TestPlugins.Spec version(String version, String health) {
    return TestPlugins.plugin("upgrader")
        .version(version)
        .permissions("http.routes")
        .main(
            "bench.u.Main",
            """
            package bench.u;
            import dev.cas.plugin.api.*;
            public class Main implements Plugin {
              private final java.util.concurrent.atomic.AtomicInteger checks =
                  new java.util.concurrent.atomic.AtomicInteger();
              public void initialize(PluginContext c) {
                c.routes().register("GET", "/version",
                    r -> HttpRoutes.Response.text(200, "v" + c.pluginVersion()));
              }
              public HealthStatus health() { %s }
            }
            """
                .formatted(health));
  }

  Result run() throws Exception {
    TestPlugins builder = new TestPlugins(Files.createDirectories(work.resolve("plugins")));
    List<Path> zips = new ArrayList<>();
    for (int v = 1; v <= runs + 2; v++) {
      zips.add(builder.buildZip(version(v)));
    }
    Path bad = builder.buildZip(failing("999.0.0"));
    List<Run> measured = new ArrayList<>();
    List<Rollback> rolledBack = new ArrayList<>();
    try (TestHost host =
        TestHost.start(
            Files.createDirectories(work.resolve("host")),
            TestHost.freshEmbeddedDatabase(),
            java.util.Map.of("CAS_UPGRADE_OBSERVE_SECONDS", OBSERVE_SECONDS))) {
      host.install(zips.get(0));
      String token = host.createUser("bench", "user");
      int port = Integer.parseInt(host.baseUrl().substring(host.baseUrl().lastIndexOf(':') + 1));
      for (int v = 2; v <= runs + 2; v++) {
        Run r = upgradeUnderLoad(host, port, token, zips.get(v - 1), "v" + v + ".0.0");
        if (v > 2) {
          measured.add(r);
        }
      }
      String current = "v" + (runs + 2) + ".0.0";
      for (int i = 0; i < runs; i++) {
        rolledBack.add(failingUpgradeUnderLoad(host, port, token, bad, current));
      }
    }
    System.err.println("upgrade done");
    StringBuilder s = new StringBuilder("### Blue-green upgrade under load\n\n");
    s.append(
        Stats.fmt(
            "Host on embedded PostgreSQL; a plugin route answering its version (GET %s, with a"
                + " token) under open-loop load at %,d req/s on %d keep-alive connections for"
                + " %.1f s per run; after %.1f s, `POST /api/plugins/import?upgrade=true` with the"
                + " next major version. %d runs after a warm-up upgrade. Switch = from sending the"
                + " upgrade to the first answer of the new version; latency of the whole run, open loop (counted from when each request was due); during = requests sent or"
                + " answered between sending the upgrade and the later of its answer and the"
                + " first new answer; failed = connection errors and requests left unanswered.%n%n",
            ROUTE, RATE, CONNECTIONS, loadSeconds, loadSeconds / 3, runs));
    s.append(
        "| upgrade request ms median (min–max) | switch ms median (min–max) | requests during"
            + " the switch median (min–max) | latency p99 ms median (min–max) | max ms |"
            + " requests in all runs | failed | non-2xx |\n|---|---|---|---|---|---|---|---|\n");
    long failed = measured.stream().mapToLong(Run::failed).sum();
    long non2xx = measured.stream().mapToLong(Run::non2xx).sum();
    s.append(
        Stats.fmt(
            "| %s | %s | %s | %s | %.1f | %d | %d | %d |%n",
            Stats.spread(measured.stream().map(Run::requestMs).toList(), 0),
            Stats.spread(measured.stream().map(Run::switchMs).toList(), 0),
            Stats.spread(measured.stream().map(r -> (double) r.during()).toList(), 0),
            Stats.spread(measured.stream().map(Run::p99Ms).toList(), 1),
            Stats.max(measured.stream().map(Run::maxMs).toList()),
            measured.stream().mapToLong(Run::requests).sum(),
            failed,
            non2xx));
    double switchMs = Stats.median(measured.stream().map(Run::switchMs).toList());
    s.append(
        Stats.fmt(
            "%nRolled-back upgrades: the same load; the new version's health check turns down"
                + " while the host watches it (%s s), so the host switches the old version back in"
                + " and rolls the upgrade back. %d runs. Request = the refused upgrade request;"
                + " bad version answered = from its first to its last answer.%n%n",
            OBSERVE_SECONDS, runs));
    s.append(
        "| refused upgrade request ms median (min–max) | bad version answered ms median (min–max)"
            + " | requests in all runs | failed | non-2xx |\n|---|---|---|---|---|\n");
    long rbFailed = rolledBack.stream().mapToLong(Rollback::failed).sum();
    long rbNon2xx = rolledBack.stream().mapToLong(Rollback::non2xx).sum();
    s.append(
        Stats.fmt(
            "| %s | %s | %d | %d | %d |%n",
            Stats.spread(rolledBack.stream().map(Rollback::requestMs).toList(), 0),
            Stats.spread(rolledBack.stream().map(Rollback::badServedMs).toList(), 0),
            rolledBack.stream().mapToLong(Rollback::requests).sum(),
            rbFailed,
            rbNon2xx));
    double rollbackMs = Stats.median(rolledBack.stream().map(Rollback::requestMs).toList());
    return new Result(s.toString(), failed + non2xx + rbFailed + rbNon2xx, switchMs, rollbackMs);
  }

  private Run upgradeUnderLoad(TestHost host, int port, String token, Path zip, String next)
      throws Exception {
    List<long[]> answers = new ArrayList<>(); // sent, done, status, new version (1/0)
    AtomicLong firstNew = new AtomicLong(Long.MAX_VALUE);
    LoadClient.Listener listener =
        (sent, done, status, body) -> {
          boolean isNew = status == 200 && body.equals(next);
          if (isNew) {
            firstNew.accumulateAndGet(done, Math::min);
          }
          synchronized (answers) {
            answers.add(new long[] {sent, done, status, isNew ? 1 : 0});
          }
        };
    Loaded l = underLoad(host, port, token, zip, listener);
    TestHost.Response r = l.response();
    long t0 = l.t0();
    long t1 = l.t1();
    if (r.status() != 200 && r.status() != 201) {
      throw new IllegalStateException("upgrade refused: " + r.status() + " " + r.text());
    }
    if (firstNew.get() == Long.MAX_VALUE) {
      throw new IllegalStateException("no answer of " + next + " during the load");
    }
    long end = Math.max(t1, firstNew.get());
    long during = answers.stream().filter(a -> a[1] >= t0 && a[0] <= end).count();
    long non2xx = answers.stream().filter(a -> a[2] < 200 || a[2] > 299).count();
    long unanswered = l.load().requests() - answers.size(); // connection errors included
    return new Run(
        (t1 - t0) / 1e6,
        (firstNew.get() - t0) / 1e6,
        during,
        l.load().requests(),
        unanswered,
        non2xx,
        l.load().p99(),
        l.load().max());
  }

  private Rollback failingUpgradeUnderLoad(
      TestHost host, int port, String token, Path zip, String old) throws Exception {
    List<long[]> answers = new ArrayList<>(); // sent, done, status, 1 = the bad version
    LoadClient.Listener listener =
        (sent, done, status, body) -> {
          synchronized (answers) {
            answers.add(
                new long[] {sent, done, status, status == 200 && !body.equals(old) ? 1 : 0});
          }
        };
    Loaded l = underLoad(host, port, token, zip, listener);
    TestHost.Response r = l.response();
    long t0 = l.t0();
    long t1 = l.t1();
    if (r.status() != 422 || !r.text().contains("UNHEALTHY")) {
      throw new IllegalStateException(
          "the failing upgrade was not rolled back: " + r.status() + " " + r.text());
    }
    long firstBad = answers.stream().filter(a -> a[3] == 1).mapToLong(a -> a[1]).min().orElse(t0);
    long lastBad = answers.stream().filter(a -> a[3] == 1).mapToLong(a -> a[1]).max().orElse(t0);
    long non2xx = answers.stream().filter(a -> a[2] < 200 || a[2] > 299).count();
    return new Rollback(
        (t1 - t0) / 1e6,
        (lastBad - firstBad) / 1e6,
        l.load().requests(),
        l.load().requests() - answers.size(),
        non2xx);
  }

  /**
   * An upgrade request sent a third into a run of load: its answer, times and the load's result.
   */
  private record Loaded(TestHost.Response response, long t0, long t1, LoadClient.Result load) {}

  private Loaded underLoad(
      TestHost host, int port, String token, Path zip, LoadClient.Listener listener)
      throws Exception {
    LoadClient.Result[] load = new LoadClient.Result[1];
    Thread client =
        Thread.ofPlatform()
            .name("upgrade-load")
            .start(
                () -> {
                  try {
                    load[0] =
                        LoadClient.fixedRate(
                            port, ROUTE, token, RATE, loadSeconds, CONNECTIONS, listener);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Thread.sleep((long) (loadSeconds / 3 * 1000));
    long t0 = System.nanoTime();
    TestHost.Response r = host.importPackage(zip, "?upgrade=true");
    long t1 = System.nanoTime();
    client.join();
    return new Loaded(r, t0, t1, load[0]);
  }
}
