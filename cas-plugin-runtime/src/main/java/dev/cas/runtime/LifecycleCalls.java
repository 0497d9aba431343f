package dev.cas.runtime;

import dev.cas.runtime.PluginRuntimeException.Reason;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a plugin's lifecycle code on its own thread with the plugin's class loader as context
 * loader, and gives up after the timeout: a plugin that hangs in {@code activate} fails, and the
 * host goes on (the hung thread is interrupted and named after the plugin). Failures name the
 * plugin, its main class and the cause.
 *
 * <p>The thread is a short-lived platform thread, not a virtual one. When plugin code threw on a
 * virtual thread, the pooled carrier thread was seen to keep the exception, and through its stack
 * trace the plugin's class loader, alive after the plugin was unloaded (no heap path, so no leak
 * detector can name it); a platform thread takes such state with it when it ends. It also shows up
 * in {@link Thread#getAllStackTraces()}, so a hung call is named by the {@link LeakDetector}. And
 * the JVM measures CPU time and allocation of platform threads only: each call is accounted to the
 * plugin by its {@link PluginMeter}.
 */
final class LifecycleCalls {

  private final Duration timeout;

  LifecycleCalls(Duration timeout) {
    this.timeout = timeout;
  }

  <T> T call(
      PluginMeter meter,
      String mainClass,
      String step,
      ClassLoader loader,
      Reason onFailure,
      Callable<T> body) {
    String pluginId = meter.pluginId();
    long deadline = System.nanoTime() + timeout.toNanos();
    AtomicReference<ActiveCall> active = new AtomicReference<>();
    FutureTask<T> task =
        new FutureTask<>(
            () -> meter.run(step, deadline, timeout.toMillis(), loader, active::set, body));
    Thread thread =
        Thread.ofPlatform().daemon().name("plugin-" + pluginId + "-" + step).start(task);
    try {
      return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      ActiveCall call = active.get();
      if (call != null) {
        // Interrupts the thread and makes its loops throw at their next back-edge.
        meter.expire(call, timeout.toMillis());
      } else {
        thread.interrupt();
      }
      throw timedOut(pluginId, mainClass, step, e);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e.getCause());
      if (System.nanoTime() - deadline >= 0) {
        // The call's own deadline (the meter's watchdog) stopped it a moment before this wait
        // timed out: it is the same timeout, whichever of the two noticed first.
        throw timedOut(pluginId, mainClass, step, cause);
      }
      throw new PluginRuntimeException(
          onFailure,
          pluginId,
          "plugin ["
              + pluginId
              + "] main class ["
              + mainClass
              + "] failed in "
              + step
              + ": "
              + cause,
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.interrupt();
      throw new PluginRuntimeException(
          onFailure,
          pluginId,
          "interrupted while plugin [" + pluginId + "] main class [" + mainClass + "] ran " + step,
          e);
    }
  }

  private PluginRuntimeException timedOut(
      String pluginId, String mainClass, String step, Throwable cause) {
    return new PluginRuntimeException(
        Reason.TIMEOUT,
        pluginId,
        "plugin ["
            + pluginId
            + "] main class ["
            + mainClass
            + "] did not finish "
            + step
            + " within "
            + timeout.toMillis()
            + " ms",
        cause);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof InvocationTargetException ite && ite.getCause() != null
        ? ite.getCause()
        : t;
  }
}
