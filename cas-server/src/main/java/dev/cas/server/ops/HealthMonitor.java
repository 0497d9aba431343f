package dev.cas.server.ops;

import dev.cas.plugin.api.EventBus;
import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.server.Monitoring;
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
 */
public final class HealthMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  /** The last check of a plugin, for {@code GET /api/health}. */
  public record Check(boolean up, String detail, Instant at, int failuresInARow, int restarts) {}

  /** What the monitor keeps of one plugin; touched by the monitor's thread only. */
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
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final Map<String, Check> last = new ConcurrentHashMap<>();
  private volatile Thread thread;
  private volatile boolean closed;

  public HealthMonitor(
      PluginRuntime runtime, AuditLog audit, HostMetrics metrics, Monitoring config) {
    this.runtime = runtime;
    this.audit = audit;
    this.metrics = metrics;
    this.config = config;
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

  /** One round: every plugin once. */
  void tick() {
    Set<String> seen = new HashSet<>();
    for (PluginInfo info : runtime.list()) {
      String id = info.id();
      seen.add(id);
      Watch w = watches.get(id);
      if (info.state() == PluginState.ACTIVE) {
        check(id, watches.computeIfAbsent(id, k -> new Watch()));
      } else if (w != null && w.restartPending && info.state() == PluginState.FAILED) {
        restartOrGiveUp(id, w);
      } else {
        // Deactivated, failed for another reason or given up on: an operator's turn.
        watches.remove(id);
        last.remove(id);
      }
    }
    watches.keySet().retainAll(seen);
    last.keySet().retainAll(seen);
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
    if (w.restarts >= config.maxRestarts()) {
      giveUp(id, w);
    } else if (System.nanoTime() - w.nextRestartNanos >= 0) {
      restart(id, w);
    }
    // else: waiting out the back-off; the plugin stays as it is until then
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
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
