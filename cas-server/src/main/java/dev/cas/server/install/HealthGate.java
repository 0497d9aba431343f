package dev.cas.server.install;

import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.PluginUsage;
import dev.cas.server.HostException;
import dev.cas.server.ServerConfig;

/**
 * The last check before a plugin is registered: its {@code health()} must answer up; after an
 * upgrade, the new version is also watched for a while (its health and the share of its route calls
 * that fail), and a failure there makes the upgrade roll back to the old version while it keeps
 * serving.
 */
public final class HealthGate {

  /** Route calls needed before the error rate counts. */
  static final int MIN_CALLS = 10;

  private static final long POLL_MILLIS = 200;

  private final PluginRuntime runtime;
  private final ServerConfig.UpgradeWatch watch;

  public HealthGate(PluginRuntime runtime, ServerConfig.UpgradeWatch watch) {
    this.runtime = runtime;
    this.watch = watch;
  }

  /**
   * Passes an active plugin whose health is up (and, after an upgrade, stays up with a tolerable
   * error rate for the watch window).
   *
   * @throws HostException {@code UNHEALTHY} naming the plugin and what failed
   */
  PluginInfo observe(PluginInfo info, boolean upgrade) throws InterruptedException {
    if (info.state() != PluginState.ACTIVE) {
      return info;
    }
    requireUp(info.id(), "started but its health check failed");
    if (!upgrade || watch.observe().isZero()) {
      return info;
    }
    long end = System.nanoTime() + watch.observe().toNanos();
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      requireUp(info.id(), "was upgraded but its health check failed while it was watched");
      PluginUsage usage = runtime.usage(info.id()).orElse(null);
      if (usage != null
          && usage.calls() >= MIN_CALLS
          && usage.errors() > watch.maxErrorRate() * usage.calls()) {
        throw new HostException(
            HostException.Reason.UNHEALTHY,
            "plugin ["
                + info.id()
                + "] was upgraded but "
                + usage.errors()
                + " of its "
                + usage.calls()
                + " route calls failed while it was watched (more than "
                + Math.round(watch.maxErrorRate() * 100)
                + " %); switched back to the old version");
      }
    }
    return runtime.find(info.id()).orElse(info);
  }

  private void requireUp(String id, String what) {
    HealthStatus health = runtime.health(id);
    if (!health.up()) {
      throw new HostException(
          HostException.Reason.UNHEALTHY, "plugin [" + id + "] " + what + ": " + health.detail());
    }
  }
}
