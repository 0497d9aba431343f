package dev.cas.runtime;

import dev.cas.plugin.api.PluginTasks;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors whose threads carry the plugin's name and class loader; {@link #close()} stops them.
 * They are created on first use and again after a deactivation.
 */
final class PluginTasksImpl implements PluginTasks, AutoCloseable {

  private final String pluginId;
  private final ClassLoader loader;
  private final AtomicInteger counter = new AtomicInteger();
  private ExecutorService executor;
  private ScheduledExecutorService scheduler;

  PluginTasksImpl(String pluginId, ClassLoader loader) {
    this.pluginId = pluginId;
    this.loader = loader;
  }

  @Override
  public synchronized ExecutorService executor() {
    if (executor == null) {
      ThreadFactory virtual = Thread.ofVirtual().factory();
      executor = Executors.newThreadPerTaskExecutor(named(virtual, "task"));
    }
    return executor;
  }

  @Override
  public synchronized ScheduledExecutorService scheduler() {
    if (scheduler == null) {
      ThreadFactory platform = Thread.ofPlatform().daemon().factory();
      scheduler = Executors.newSingleThreadScheduledExecutor(named(platform, "scheduler"));
    }
    return scheduler;
  }

  private ThreadFactory named(ThreadFactory base, String kind) {
    return r -> {
      Thread t = base.newThread(r);
      t.setName("plugin-" + pluginId + "-" + kind + "-" + counter.incrementAndGet());
      t.setContextClassLoader(loader);
      // Plugins may not start raw threads; the ones this host-owned executor makes they may.
      SandboxBridge.sanction(t);
      return t;
    };
  }

  /** Stops all tasks: running ones are interrupted and given a second to end. */
  @Override
  public synchronized void close() throws InterruptedException {
    for (ExecutorService e : new ExecutorService[] {executor, scheduler}) {
      if (e != null) {
        e.shutdownNow();
        e.awaitTermination(1, TimeUnit.SECONDS);
      }
    }
    executor = null;
    scheduler = null;
  }
}
