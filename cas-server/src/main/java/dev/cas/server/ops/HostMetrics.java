package dev.cas.server.ops;

import com.zaxxer.hikari.HikariDataSource;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.PluginUsage;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.security.HostSandbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;

/**
 * The host's metrics in one Micrometer registry with the Prometheus format, scraped at {@code GET
 * /metrics}. Names follow Prometheus conventions ({@code cas_plugin_calls_total{plugin, method,
 * route}}); the route label is the path as the plugin registered it, never the request's own path,
 * so the number of series stays bounded. What the host already counts (layer-3 accounting, sandbox
 * denials, pools) is read at scrape time, not copied on the request path; only a route call's
 * counters and latency are recorded as it ends.
 *
 * <p>When metrics are off ({@code metrics.enabled=false}) every record method returns at once.
 */
public final class HostMetrics implements RouteCalls, AutoCloseable {

  /** Latency buckets (seconds) of route calls, HTTP requests and imports. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private final boolean enabled;
  private final PrometheusMeterRegistry registry;
  private final PluginRuntime runtime;
  private final HostSandbox sandbox;
  private final PluginDatabases databases;
  private final JvmGcMetrics gc;
  private final Map<String, Map<String, RouteMeters>> routes = new ConcurrentHashMap<>();
  private final Map<String, Timer> http = new ConcurrentHashMap<>();
  private final Map<String, Integer> healthUp = new ConcurrentHashMap<>();
  private final Set<String> bound = new HashSet<>();
  private final Set<String> denialSeries = new HashSet<>();

  /**
   * @param enabled {@code metrics.enabled}
   * @param runtime the plugins, their states and their layer-3 accounting
   * @param sandbox sandbox denials per plugin and operation
   * @param databases the plugins' connection pools
   * @param adminPool the host's own pool
   */
  public HostMetrics(
      boolean enabled,
      PluginRuntime runtime,
      HostSandbox sandbox,
      PluginDatabases databases,
      DataSource adminPool) {
    this.enabled = enabled;
    this.runtime = runtime;
    this.sandbox = sandbox;
    this.databases = databases;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (!enabled) {
      this.gc = null;
      return;
    }
    new JvmMemoryMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    if (adminPool instanceof HikariDataSource hikari) {
      hikari.setMetricRegistry(registry);
    }
  }

  public boolean enabled() {
    return enabled;
  }

  /** One route's meters, looked up once and kept: the request path does no registry lookup. */
  private record RouteMeters(
      Counter calls, Counter errors, Counter timeouts, Counter rejections, Timer latency) {}

  /** Counts the call; its latency unless it was refused. */
  @Override
  public void ended(String plugin, String method, String route, Outcome outcome, long nanos) {
    if (!enabled) {
      return;
    }
    RouteMeters m =
        routes
            .computeIfAbsent(plugin, p -> new ConcurrentHashMap<>())
            .computeIfAbsent(method + ' ' + route, k -> routeMeters(plugin, method, route));
    m.calls.increment();
    switch (outcome) {
      case OK -> m.latency.record(nanos, TimeUnit.NANOSECONDS);
      case ERROR -> {
        m.errors.increment();
        m.latency.record(nanos, TimeUnit.NANOSECONDS);
      }
      case TIMEOUT -> {
        m.errors.increment();
        m.timeouts.increment();
        m.latency.record(nanos, TimeUnit.NANOSECONDS);
      }
      case REJECTED -> m.rejections.increment();
    }
  }

  private RouteMeters routeMeters(String plugin, String method, String route) {
    String[] tags = {"plugin", plugin, "method", method, "route", route};
    return new RouteMeters(
        Counter.builder("cas.plugin.calls")
            .description("Route calls of the plugin, refused ones included")
            .tags(tags)
            .register(registry),
        Counter.builder("cas.plugin.call.errors")
            .description("Route calls that threw, were stopped or answered 5xx")
            .tags(tags)
            .register(registry),
        Counter.builder("cas.plugin.call.timeouts")
            .description("Route calls stopped at their deadline")
            .tags(tags)
            .register(registry),
        Counter.builder("cas.plugin.call.rejections")
            .description("Route calls refused: the plugin had its maximum in flight")
            .tags(tags)
            .register(registry),
        Timer.builder("cas.plugin.call.duration")
            .description("Latency of the plugin's route calls")
            .tags(tags)
            .serviceLevelObjectives(BUCKETS)
            .register(registry));
  }

  /** A host HTTP request ended (every path, plugin routes included). */
  public void httpRequest(String method, int status, long nanos) {
    if (!enabled) {
      return;
    }
    http.computeIfAbsent(
            method + ' ' + status,
            k ->
                Timer.builder("cas.http.server.requests")
                    .description("Requests the host's HTTP server answered")
                    .tags("method", method, "status", String.valueOf(status))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * An import ended.
   *
   * @param kind install or upgrade
   * @param outcome installed, upgraded, unchanged, or refused
   */
  public void imported(String kind, String outcome, Duration took) {
    if (!enabled) {
      return;
    }
    Timer.builder("cas.plugin.imports")
        .description("Imports and upgrades of plugin packages and how long they took")
        .tags("kind", kind, "outcome", outcome)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(took);
  }

  /** A health check of the monitor ended. */
  public void healthCheck(String plugin, boolean up) {
    if (!enabled) {
      return;
    }
    healthUp.put(plugin, up ? 1 : 0);
    Counter.builder("cas.plugin.health.checks")
        .description("Health checks of the host's monitor")
        .tags("plugin", plugin, "result", up ? "up" : "down")
        .register(registry)
        .increment();
  }

  /**
   * A restart by the health monitor ended.
   *
   * @param outcome restarted, or failed
   */
  public void restart(String plugin, String outcome) {
    if (!enabled) {
      return;
    }
    Counter.builder("cas.plugin.restarts")
        .description("Restarts by the host's health monitor")
        .tags("plugin", plugin, "outcome", outcome)
        .register(registry)
        .increment();
  }

  /**
   * The registry's content in the Prometheus text format, with the plugins' meters brought up to
   * date.
   */
  public String scrape() {
    sync();
    return registry.scrape();
  }

  /**
   * Registers the meters of plugins that appeared and removes those of plugins that are gone; binds
   * new connection pools. Runs at scrape time, off the request path.
   */
  private synchronized void sync() {
    Set<String> ids = new HashSet<>();
    for (PluginInfo info : runtime.list()) {
      String id = info.id();
      ids.add(id);
      if (bound.add(id)) {
        bindPlugin(id);
      }
      bindDenials(id);
      bindPool(id);
    }
    // A call that ended just after its plugin was removed may have brought its route meters back.
    Set<String> known = new HashSet<>(bound);
    known.addAll(routes.keySet());
    for (String gone : known) {
      if (!ids.contains(gone)) {
        registry.getMeters().stream()
            .filter(m -> gone.equals(m.getId().getTag("plugin")))
            .toList()
            .forEach(registry::remove);
        routes.remove(gone);
        healthUp.remove(gone);
        bound.remove(gone);
        denialSeries.removeIf(k -> k.startsWith(gone + '\0'));
      }
    }
  }

  private void bindPlugin(String id) {
    for (PluginState state : PluginState.values()) {
      Gauge.builder(
              "cas.plugin.state",
              runtime,
              r -> r.find(id).map(p -> p.state() == state ? 1.0 : 0.0).orElse(Double.NaN))
          .description("1 for the plugin's lifecycle state, 0 for the others")
          .tags("plugin", id, "state", state.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    usageCounter(
        id, "cas.plugin.cpu", "seconds", "CPU time of its ended calls", u -> u.cpuNanos() / 1e9);
    usageCounter(
        id,
        "cas.plugin.allocated",
        "bytes",
        "Bytes its ended calls allocated",
        u -> (double) u.allocatedBytes());
    Gauge.builder(
            "cas.plugin.calls.in.flight",
            runtime,
            r -> r.usage(id).map(u -> (double) u.inFlight()).orElse(Double.NaN))
        .description("Calls of the plugin running now")
        .tags("plugin", id)
        .register(registry);
    Gauge.builder(
            "cas.plugin.health.up",
            healthUp,
            h -> {
              Integer up = h.get(id);
              return up == null ? Double.NaN : up;
            })
        .description("1 when the monitor's last health check of the plugin was up, 0 when down")
        .tags("plugin", id)
        .register(registry);
  }

  /** Layer-3 accounting since the plugin's current version was loaded: an upgrade resets it. */
  private void usageCounter(
      String id, String name, String unit, String description, ToDoubleFunction<PluginUsage> f) {
    FunctionCounter.builder(name, runtime, r -> r.usage(id).map(f::applyAsDouble).orElse(0.0))
        .description(description + " (layer-3 accounting; starts again at an upgrade)")
        .baseUnit(unit)
        .tags("plugin", id)
        .register(registry);
  }

  @SuppressWarnings("unchecked")
  private void bindDenials(String id) {
    Object byOperation = sandbox.status(id).get("byOperation");
    for (String op : ((Map<String, Long>) byOperation).keySet()) {
      if (denialSeries.add(id + '\0' + op)) {
        FunctionCounter.builder(
                "cas.plugin.sandbox.denials",
                sandbox,
                s ->
                    ((Map<String, Long>) s.status(id).get("byOperation"))
                        .getOrDefault(op, 0L)
                        .doubleValue())
            .description("Sandbox denials of the plugin since the host started, by operation")
            .tags("plugin", id, "operation", op)
            .register(registry);
      }
    }
  }

  private void bindPool(String id) {
    HikariDataSource pool;
    try {
      pool = databases.pool(id);
    } catch (IllegalStateException noPool) {
      return; // a plugin without database access
    }
    if (pool.getMetricRegistry() == null && !pool.isClosed()) {
      pool.setMetricRegistry(registry);
    }
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
