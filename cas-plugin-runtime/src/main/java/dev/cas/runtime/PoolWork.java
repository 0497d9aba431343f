package dev.cas.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime's side of the sandbox's task hook: work a plugin handed to a pool or timer it does
 * not own (the common pool, {@code CompletableFuture.*Async}, a host's or the JDK's executor,
 * scheduler or {@code Timer}) is accounted to its meter and stopped with it. The checker records
 * who submitted each task and asks here, on the thread about to run it, whether it may run.
 *
 * <p>Threat: a plugin leaving CPU-heavy work queued on the JVM's shared pools, so that it keeps
 * running after the plugin is deactivated and counts against no budget. Once the plugin is stopped
 * its queued tasks are refused (counted as cancelled) and its running ones interrupted; the CPU
 * time and allocation of the rest are the plugin's ({@link PluginUsage#poolCpuNanos}).
 *
 * <p>One table per JVM (the checker has one hook), by plugin id: a task of a plugin no runtime has
 * loaded now (unloaded since it was queued) is refused.
 */
final class PoolWork {

  private static final Map<String, PluginMeter> METERS = new ConcurrentHashMap<>();
  private static boolean installed;

  private PoolWork() {}

  /** Installs the hook, once per JVM; does nothing without the sandbox agent. */
  static synchronized void install() {
    if (installed || !SandboxBridge.enforcing()) {
      return;
    }
    SandboxBridge.onTaskRun(PoolWork::starting, PoolWork::ended);
    installed = true;
  }

  /** The plugin's pool work is accounted to {@code meter} from now on. */
  static void register(PluginMeter meter) {
    METERS.put(meter.pluginId(), meter);
  }

  /** The plugin instance is unloaded: its pool work is refused (unless a new version registers). */
  static void unregister(PluginMeter meter) {
    METERS.remove(meter.pluginId(), meter);
  }

  /** On the thread about to run a task of {@code pluginId}: a token, or null to refuse it. */
  private static Object starting(String pluginId) {
    PluginMeter meter = METERS.get(pluginId);
    return meter == null ? null : meter.pool().starting();
  }

  private static void ended(Object token) {
    if (token instanceof PoolAccount.Task task) {
      task.account().ended(task);
    }
  }
}
