package dev.cas.server.ops;

import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * What {@code GET /api/health} answers: whether the host's database answers (within {@value
 * #PROBE_SECONDS} s, so a load balancer's check never hangs on the pool's connection timeout) and,
 * for signed-in callers, each plugin's state and its last health check.
 */
public final class HostHealth {

  static final int PROBE_SECONDS = 2;

  private final DataSource admin;
  private final PluginRuntime runtime;
  private final HealthMonitor monitor;

  public HostHealth(DataSource admin, PluginRuntime runtime, HealthMonitor monitor) {
    this.admin = admin;
    this.runtime = runtime;
    this.monitor = monitor;
  }

  /**
   * Whether a connection of the host's pool is valid: probed at most once a second, so a flood of
   * health checks costs the database one query a second and a check stays cheap.
   */
  public boolean databaseUp() {
    long now = System.nanoTime();
    Probe p = lastProbe;
    if (p != null && now - p.atNanos() < 1_000_000_000L) {
      return p.up();
    }
    boolean up = probe();
    lastProbe = new Probe(up, System.nanoTime());
    return up;
  }

  private record Probe(boolean up, long atNanos) {}

  private volatile Probe lastProbe;

  private boolean probe() {
    CompletableFuture<Boolean> probe =
        CompletableFuture.supplyAsync(
            () -> {
              try (Connection c = admin.getConnection()) {
                return c.isValid(PROBE_SECONDS);
              } catch (java.sql.SQLException e) {
                return false;
              }
            },
            r -> Thread.ofVirtual().name("cas-health-probe").start(r));
    try {
      return probe.get(PROBE_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Each plugin's state and health: the monitor's last check, or a check now for an active plugin
   * the monitor has not checked yet (or when it is off).
   */
  public List<Map<String, Object>> plugins() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PluginInfo info : runtime.list()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", info.id());
      p.put("state", info.state().name().toLowerCase(Locale.ROOT));
      info.failure().ifPresent(f -> p.put("failure", f));
      if (info.state() == PluginState.ACTIVE) {
        HealthMonitor.Check check =
            monitor
                .last(info.id())
                .orElseGet(
                    () -> {
                      HealthStatus now = runtime.health(info.id());
                      return new HealthMonitor.Check(
                          now.up(), now.detail(), java.time.Instant.now(), 0, 0);
                    });
        p.put("up", check.up());
        p.put("detail", check.detail());
        p.put("checkedAt", check.at().toString());
        p.put("failuresInARow", check.failuresInARow());
        p.put("restarts", check.restarts());
      } else {
        p.put("up", false);
      }
      out.add(p);
    }
    return out;
  }
}
