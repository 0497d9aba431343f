package dev.cas.server.ops;

import dev.cas.plugin.api.EventBus;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.server.Monitoring;
import dev.cas.server.security.HostSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts an alert to the configured webhooks when a threshold is crossed: a plugin failed ({@code
 * host:plugin:failed}), the health monitor restarts one ({@code host:plugin:restarting}), a
 * plugin's route calls fail at {@code alerts.error-rate} or more (of at least {@value #MIN_CALLS}
 * calls in the window), or it has {@code alerts.sandbox-denials} sandbox denials or more in the
 * window. A rate or denial alert is sent once per plugin and window. The posting itself is {@link
 * Webhooks}'.
 */
public final class Alerts implements RouteCalls, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
  static final int MIN_CALLS = 10;

  private final Monitoring config;
  private final PluginRuntime runtime;
  private final HostSandbox sandbox;
  private final Webhooks webhooks;
  private final String instanceId;
  private final List<EventBus.Subscription> subscriptions = new ArrayList<>();
  private volatile Thread thread;
  private volatile boolean closed;

  /** What a plugin had counted at the start of the window, and what was sent in it. */
  private record Baseline(long calls, long errors, long denials) {}

  private final Map<String, Baseline> baselines = new HashMap<>();

  /** Route calls and failed ones per plugin since the host started. */
  private record Totals(LongAdder calls, LongAdder errors) {}

  private final Map<String, Totals> totals = new ConcurrentHashMap<>();
  private final boolean counting;
  private final Set<String> sentInWindow = new HashSet<>();
  private long windowStart;

  public Alerts(Monitoring config, PluginRuntime runtime, HostSandbox sandbox, String instanceId) {
    this.config = config;
    this.runtime = runtime;
    this.sandbox = sandbox;
    this.instanceId = instanceId;
    this.webhooks = new Webhooks(config);
    this.counting = !config.webhooks().isEmpty();
  }

  /** Counts route calls for the error-rate threshold (only when there is a webhook to tell). */
  @Override
  public void ended(String plugin, String method, String route, Outcome outcome, long nanos) {
    if (!counting) {
      return;
    }
    Totals t = totals.computeIfAbsent(plugin, p -> new Totals(new LongAdder(), new LongAdder()));
    t.calls.increment();
    if (outcome == Outcome.ERROR || outcome == Outcome.TIMEOUT) {
      t.errors.increment();
    }
  }

  /** Listens for the events and starts watching the rates, when webhooks are configured. */
  public void start() {
    if (config.webhooks().isEmpty()) {
      return;
    }
    subscriptions.add(
        runtime
            .events()
            .subscribe(
                "host",
                "host:plugin:failed",
                e -> send("plugin-failed", e, "plugin [%s] failed: %s")));
    subscriptions.add(
        runtime
            .events()
            .subscribe(
                "host",
                "host:plugin:restarting",
                e ->
                    send(
                        "plugin-restarting",
                        e,
                        "plugin [%s] is restarted by the health monitor: %s")));
    // A tenth of the window, between 0.1 s and 1 s: an alert follows its cause within a second.
    Duration period = config.alertWindow().dividedBy(10);
    Duration tick =
        period.compareTo(Duration.ofMillis(100)) < 0
            ? Duration.ofMillis(100)
            : period.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : period;
    windowStart = System.nanoTime();
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("cas-alerts")
            .start(
                () -> {
                  while (!closed) {
                    try {
                      Thread.sleep(tick);
                      checkRates();
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      LOG.error("alerts: a round of threshold checks failed", e);
                    }
                  }
                });
  }

  private void send(String kind, EventBus.Event e, String format) {
    String id = String.valueOf(e.payload().get("id"));
    Object reason = e.payload().getOrDefault("reason", "no reason given");
    Map<String, Object> details = new LinkedHashMap<>(e.payload());
    details.remove("id");
    post(kind, id, String.format(java.util.Locale.ROOT, format, id, reason), details);
  }

  private void post(String kind, String plugin, String message, Map<String, Object> details) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("alert", kind);
    alert.put("plugin", plugin);
    alert.put("message", message);
    alert.put("details", details);
    alert.put("host", instanceId);
    alert.put("at", Instant.now().toString());
    webhooks.post(alert);
  }

  /** Error rate and sandbox denials of each plugin since the window began. */
  void checkRates() {
    long now = System.nanoTime();
    boolean roll = now - windowStart >= config.alertWindow().toNanos();
    List<PluginInfo> plugins = runtime.list();
    // An uninstalled plugin's counts go with it; one installed again starts from zero.
    Set<String> ids = new HashSet<>();
    plugins.forEach(p -> ids.add(p.id()));
    totals.keySet().retainAll(ids);
    baselines.keySet().retainAll(ids);
    for (PluginInfo info : plugins) {
      String id = info.id();
      Totals t = totals.get(id);
      long calls = t == null ? 0 : t.calls.sum();
      long errors = t == null ? 0 : t.errors.sum();
      long denials = ((Number) sandbox.status(id).get("denials")).longValue();
      // The host's counters start at zero with it, and a new plugin's with its install.
      Baseline b = baselines.getOrDefault(id, new Baseline(0, 0, 0));
      if (roll) {
        baselines.put(id, new Baseline(calls, errors, denials));
      }
      long dCalls = calls - b.calls();
      long dErrors = errors - b.errors();
      long dDenials = denials - b.denials();
      double rate = dCalls == 0 ? 0 : (double) dErrors / dCalls;
      if (dCalls >= MIN_CALLS
          && rate >= config.alertErrorRate()
          && sentInWindow.add(id + " error-rate")) {
        post(
            "error-rate",
            id,
            String.format(
                java.util.Locale.ROOT,
                "plugin [%s]: %d of %d calls failed in the last %d s (threshold %.2f)",
                id,
                dErrors,
                dCalls,
                config.alertWindow().toSeconds(),
                config.alertErrorRate()),
            Map.of("calls", dCalls, "errors", dErrors, "rate", rate));
      }
      if (config.alertDenials() > 0
          && dDenials >= config.alertDenials()
          && sentInWindow.add(id + " sandbox-denials")) {
        post(
            "sandbox-denials",
            id,
            "plugin ["
                + id
                + "]: "
                + dDenials
                + " sandbox denials in the window (threshold "
                + config.alertDenials()
                + ")",
            Map.of("denials", dDenials, "byOperation", sandbox.status(id).get("byOperation")));
      }
    }
    if (roll) {
      windowStart = now;
      sentInWindow.clear();
    }
  }

  @Override
  public void close() {
    subscriptions.forEach(EventBus.Subscription::close);
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    webhooks.close();
  }
}
