package dev.cas.runtime;

import dev.cas.plugin.api.PluginTasks;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors whose threads carry the plugin's name and class loader; {@link #close()} stops them.
 * They are created on first use and again after a deactivation.
 *
 * <p>Every task is a call accounted to the plugin ({@link PluginMeter}, kind {@code task}): its CPU
 * time and allocation count, and its loops stop once the plugin is deactivated. Tasks have no
 * deadline. Their threads are platform threads, because the JVM measures CPU time and allocation of
 * platform threads only.
 */
final class PluginTasksImpl implements PluginTasks, AutoCloseable {

  private static final String KIND = "task";

  private final String pluginId;
  private final ClassLoader loader;
  private final PluginMeter meter;
  private final AtomicInteger counter = new AtomicInteger();
  private ExecutorService executor;
  private ScheduledExecutorService scheduler;

  PluginTasksImpl(String pluginId, ClassLoader loader, PluginMeter meter) {
    this.pluginId = pluginId;
    this.loader = loader;
    this.meter = meter;
  }

  @Override
  public synchronized ExecutorService executor() {
    if (executor == null) {
      // One thread per task: the thread's whole run is the task's call.
      ThreadFactory platform = Thread.ofPlatform().daemon().factory();
      executor = Executors.newThreadPerTaskExecutor(named(platform, "task", true));
    }
    return executor;
  }

  @Override
  public synchronized ScheduledExecutorService scheduler() {
    if (scheduler == null) {
      ThreadFactory platform = Thread.ofPlatform().daemon().factory();
      scheduler = new MeteredScheduler(named(platform, "scheduler", false), meter);
    }
    return scheduler;
  }

  private ThreadFactory named(ThreadFactory base, String kind, boolean meterWholeThread) {
    return r -> {
      Runnable metered = meterWholeThread ? () -> metered(r) : r;
      // The thread works for the plugin alone, whatever made the executor grow.
      Runnable body = () -> runAsPlugin(metered);
      Thread t = base.newThread(body);
      t.setName("plugin-" + pluginId + "-" + kind + "-" + counter.incrementAndGet());
      t.setContextClassLoader(loader);
      // Plugins may not start raw threads; the ones this host-owned executor makes they may.
      SandboxBridge.sanction(t);
      return t;
    };
  }

  private void runAsPlugin(Runnable r) {
    try {
      SandboxBridge.runAsPlugin(
          loader,
          () -> {
            r.run();
            return null;
          });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void metered(Runnable r) {
    ActiveCall call = meter.begin(KIND, Long.MAX_VALUE, -1);
    Throwable failure = null;
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      meter.end(call, failure);
    }
  }

  /** Accounts each scheduled run as one task call, on the scheduler's one thread. */
  private static final class MeteredScheduler extends ScheduledThreadPoolExecutor {
    private final PluginMeter meter;
    private ActiveCall current;

    MeteredScheduler(ThreadFactory factory, PluginMeter meter) {
      super(1, factory);
      this.meter = meter;
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
      current = meter.begin(KIND, Long.MAX_VALUE, -1);
      super.beforeExecute(t, r);
    }

    @Override
    protected void afterExecute(Runnable r, Throwable t) {
      super.afterExecute(r, t);
      ActiveCall call = current;
      current = null;
      if (call != null) {
        meter.end(call, t);
      }
    }
  }

  /**
   * Stops all tasks: their loops are told to stop, running ones are interrupted and given a second
   * to end.
   */
  @Override
  public synchronized void close() throws InterruptedException {
    meter.cancel(KIND, "the plugin stops");
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
