package dev.cas.plugin.api;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Executors owned by the host on the plugin's behalf: their threads carry the plugin's name and
 * class loader, are accounted to it, and are stopped when the plugin is deactivated or unloaded.
 *
 * <p>The threads are platform threads, not virtual ones: the JVM measures CPU time and allocation
 * per platform thread only, and each task counts against the plugin's budgets. Tasks have no
 * deadline; on deactivation their loops are told to stop, running ones are interrupted and given a
 * second to end. Executors are created on first use and again after a reactivation.
 */
public interface PluginTasks {

  /**
   * Runs each task on a new platform thread of its own, named {@code plugin-<id>-task-<n>}.
   *
   * @return the plugin's executor, the same one until the plugin is deactivated
   */
  ExecutorService executor();

  /**
   * Runs delayed and periodic tasks, one at a time, on one platform thread named {@code
   * plugin-<id>-scheduler-<n>}: a slow run delays the next.
   *
   * @return the plugin's scheduler, the same one until the plugin is deactivated
   */
  ScheduledExecutorService scheduler();
}
