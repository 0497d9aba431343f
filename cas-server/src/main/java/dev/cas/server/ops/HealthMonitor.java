package dev.cas.server.ops;

import dev.cas.plugin.api.EventBus;
import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.server.Monitoring;
import dev.cas.server.install.OperationJournal;
import dev.cas.server.security.AuditLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls each active plugin's {@code health()} every {@code health.interval.seconds} (within the
 * lifecycle timeout, as the runtime calls it). After {@code health.failures} failed checks in a row
 * the plugin is restarted (deactivated with its active dependents, activated again); each further
 * restart waits twice as long as the one before ({@code health.restart.backoff.seconds}); after
 * {@code health.restart.max} restarts that did not bring it back it is marked {@code FAILED} with
 * the reason. A passing check forgives the failures and the restarts.
 *
 * <p>Each step is an event on the host's bus ({@code host:plugin:unhealthy}, {@code
 * host:plugin:restarting}, {@code host:plugin:restarted}, {@code host:plugin:restart-failed},
 * {@code host:plugin:restarts-exhausted}; the runtime adds {@code host:plugin:failed}), an audit
 * entry (actor {@code system}, action {@code health.restart} or {@code health.fail}) and a metric.
 *
 * <p>A plugin an operator deactivated is left alone: only active plugins are checked, and only a
 * plugin this monitor left failed is restarted again.
 *
 * <p>Checks of different plugins run at once, on at most {@code health.parallel} threads: a plugin
 * whose check hangs until the lifecycle timeout holds up one of them, not the other plugins' checks
 * and restarts; it is not checked again until its check has ended. A restart (or giving up) holds
 * the plugin's operation lock ({@link OperationJournal#tryHold}), the one that install, upgrade,
 * uninstall, activate and deactivate take: while one of those runs on the plugin (an upgrade's
 * watch window included), the monitor neither restarts nor fails it, and forgets the failures it
 * counted, since the operation decides what runs next.
 */
public final class HealthMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  /** The last check of a plugin, for {@code GET /api/health}. */
  public record Check(boolean up, String detail, Instant at, int failuresInARow, int restarts) {}

  /**
   * What the monitor keeps of one plugin; touched by one job at a time (the plugin is in {@code
   * inFlight} meanwhile, and handing the job to the pool orders what each job sees).
   */
  private static final class Watch {
    int failures;
    int restarts;
    long nextRestartNanos;
    boolean restartPending;
    String reason;
  }

  private final PluginRuntime runtime;
  private final AuditLog audit;
  private final HostMetrics metrics;
  private final Monitoring config;
  private final OperationJournal operations;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final Map<String, Check> last = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final ExecutorService checks;
  private volatile Thread thread;
  private volatile boolean closed;

  public HealthMonitor(
      PluginRuntime runtime,
      AuditLog audit,
      HostMetrics metrics,
      Monitoring config,
      OperationJournal operations) {
    this.runtime = runtime;
    this.audit = audit;
    this.metrics = metrics;
    this.config = config;
    this.operations = operations;
    AtomicInteger n = new AtomicInteger();
    // Platform threads: each waits for a plugin's health() on the plugin's own lifecycle thread.
    this.checks =
        Executors.newFixedThreadPool(
            config.healthParallel(),
            r ->
                Thread.ofPlatform()
                    .daemon()
                    .name("cas-health-check-" + n.incrementAndGet())
                    .unstarted(r));
  }

  /** Starts polling, unless the interval is zero. */
  public void start() {
    Duration interval = config.healthInterval();
    if (interval.isZero()) {
      LOG.info("health monitor: off (health.interval.seconds=0)");
      return;
    }
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("cas-health-monitor")
            .start(
                () -> {
                  while (!closed) {
                    try {
                      Thread.sleep(interval);
                      tick();
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      LOG.error("health monitor: a round failed", e);
                    }
                  }
                });
  }

  /** The monitor's last check of a plugin, if it made one since the plugin became active. */
  public Optional<Check> last(String pluginId) {
    return Optional.ofNullable(last.get(pluginId));
  }

  /**
   * One round: a job for every plugin that has none running (a plugin whose last check still hangs
   * is skipped); the jobs run on the pool, this round does not wait for them.
   */
  void tick() {
    Set<String> seen = new HashSet<>();
    for (PluginInfo info : runtime.list()) {
      String id = info.id();
      seen.add(id);
      if (inFlight.contains(id)) {
        continue;
      }
      Watch w = watches.get(id);
      if (info.state() == PluginState.ACTIVE) {
        submit(id, () -> check(id, watches.computeIfAbsent(id, k -> new Watch())));
      } else if (w != null && w.restartPending && info.state() == PluginState.FAILED) {
        submit(id, () -> restartOrGiveUp(id, w));
      } else {
        // Deactivated, failed for another reason or given up on: an operator's turn.
        watches.remove(id);
        last.remove(id);
      }
    }
    watches.keySet().retainAll(seen);
    last.keySet().retainAll(seen);
  }

  private void submit(String id, Runnable job) {
    inFlight.add(id);
    try {
      checks.execute(
          () -> {
            try {
              job.run();
            } catch (RuntimeException e) {
              LOG.error("health monitor: the check of plugin [{}] failed", id, e);
            } finally {
              inFlight.remove(id);
            }
          });
    } catch (RejectedExecutionException closing) {
      inFlight.remove(id);
    }
  }

  private void check(String id, Watch w) {
    HealthStatus h;
    try {
      h = runtime.health(id);
    } catch (RuntimeException e) {
      h = HealthStatus.unhealthy(e.getMessage());
    }
    metrics.healthCheck(id, h.up());
    if (h.up()) {
      w.failures = 0;
      w.restarts = 0;
      w.restartPending = false;
      last.put(id, new Check(true, h.detail(), Instant.now(), 0, 0));
      return;
    }
    w.failures++;
    last.put(id, new Check(false, h.detail(), Instant.now(), w.failures, w.restarts));
    publish("unhealthy", id, Map.of("failures", w.failures, "detail", h.detail()));
    if (w.failures >= config.healthFailures()) {
      w.reason = "health check failed " + w.failures + " times in a row (last: " + h.detail() + ")";
      w.restartPending = true;
      restartOrGiveUp(id, w);
    }
  }

  private void restartOrGiveUp(String id, Watch w) {
    boolean giveUp = w.restarts >= config.maxRestarts();
    if (!giveUp && System.nanoTime() - w.nextRestartNanos < 0) {
      return; // waiting out the back-off; the plugin stays as it is until then
    }
    Optional<OperationJournal.Hold> held = hold(id);
    if (held.isEmpty()) {
      // An install, upgrade (or its watch window), uninstall, activate or deactivate runs on it:
      // what runs after it is that operation's doing, and the failures counted before are stale.
      LOG.info("plugin [{}]: an operation on it is running; the health monitor waits", id);
      w.failures = 0;
      w.restartPending = false;
      return;
    }
    try (OperationJournal.Hold lock = held.get()) {
      // The operation that just ended may have changed the plugin: only what the monitor saw fails.
      PluginState now = runtime.find(id).map(PluginInfo::state).orElse(null);
      if (now != PluginState.ACTIVE && now != PluginState.FAILED) {
        watches.remove(id);
        return;
      }
      if (giveUp) {
        giveUp(id, w);
      } else {
        restart(id, w);
      }
    }
  }

  private Optional<OperationJournal.Hold> hold(String id) {
    try {
      return operations.tryHold(id);
    } catch (RuntimeException e) {
      LOG.warn(
          "plugin [{}]: the health monitor cannot take its operation lock: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  private void restart(String id, Watch w) {
    w.restarts++;
    w.failures = 0;
    w.restartPending = false;
    long backoff = config.restartBackoff().toNanos() << Math.min(w.restarts - 1, 20);
    w.nextRestartNanos = System.nanoTime() + backoff;
    String attempt = "restart " + w.restarts + " of at most " + config.maxRestarts();
    publish("restarting", id, Map.of("attempt", w.restarts, "reason", w.reason));
    audit.record("system", "health.restart", id, "restarting", attempt + ": " + w.reason, "local");
    try {
      List<String> stopped = new ArrayList<>(runtime.deactivate(id, true));
      Collections.reverse(stopped); // the plugin first, then the dependents it stopped
      for (String each : stopped) {
        runtime.activate(each);
      }
      publish("restarted", id, Map.of("attempt", w.restarts));
      audit.record("system", "health.restart", id, "restarted", attempt, "local");
      metrics.restart(id, "restarted");
      LOG.warn("plugin [{}] restarted by the health monitor ({}): {}", id, attempt, w.reason);
    } catch (RuntimeException e) {
      w.restartPending = true;
      w.reason = "restart failed: " + e.getMessage();
      publish(
          "restart-failed",
          id,
          Map.of("attempt", w.restarts, "reason", String.valueOf(e.getMessage())));
      audit.record(
          "system", "health.restart", id, "failed", attempt + ": " + e.getMessage(), "local");
      metrics.restart(id, "failed");
      LOG.warn("plugin [{}]: {} failed: {}", id, attempt, e.getMessage());
    }
  }

  private void giveUp(String id, Watch w) {
    String why =
        "the health monitor gave up after "
            + w.restarts
            + (w.restarts == 1 ? " restart: " : " restarts: ")
            + w.reason;
    watches.remove(id);
    publish("restarts-exhausted", id, Map.of("restarts", w.restarts, "reason", why));
    try {
      runtime.fail(id, why);
    } finally {
      audit.record("system", "health.fail", id, "failed", why, "local");
      LOG.error("plugin [{}] failed: {}", id, why);
    }
  }

  private void publish(String what, String id, Map<String, Object> details) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.putAll(details);
    runtime
        .events()
        .publish(
            new EventBus.Event("host:plugin:" + what, "host", payload, System.currentTimeMillis()));
  }

  @Override
  public void close() {
    closed = true;
    // Interrupts the checks waiting for a plugin's health(): they end at once.
    checks.shutdownNow();
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      checks.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
