package dev.cas.plugin.api;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Executors owned by the host on the plugin's behalf: their threads carry the plugin's name and
 * class loader, are accounted to it, and are stopped when the plugin is deactivated or unloaded.
 */
public interface PluginTasks {

  /** Runs tasks on virtual threads. */
  ExecutorService executor();

  /** Runs delayed and periodic tasks. */
  ScheduledExecutorService scheduler();
}
