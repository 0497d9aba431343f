package dev.cas.runtime;

import dev.cas.runtime.PluginRuntimeException.Reason;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs route and event calls of plugins on host-owned threads, with a deadline, a concurrency limit
 * and accounting; and runs the watchdog that checks calls in flight against their budgets.
 *
 * <p>Each call runs on a platform thread of the plugin's own ({@link PluginMeter#execute}): the JVM
 * measures CPU time and allocation per platform thread only ({@code ThreadMXBean} answers -1 for
 * virtual threads on JDK 25). The caller (a virtual request thread) waits until the call ends or
 * its deadline passes; then the call is stopped and the caller gets its answer at once, whether or
 * not the plugin's thread has ended yet.
 */
final class PluginCalls implements AutoCloseable {

  private final Set<PluginMeter> meters = ConcurrentHashMap.newKeySet();
  private final Thread watchdog;
  private volatile boolean closed;

  PluginCalls(Duration period) {
    this.watchdog =
        Thread.ofPlatform()
            .daemon()
            .name("cas-call-watchdog")
            .start(
                () -> {
                  while (!closed) {
                    long now = System.nanoTime();
                    meters.forEach(m -> m.inspect(now));
                    try {
                      Thread.sleep(period);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  /** Lets the watchdog see a meter's calls. */
  void watch(PluginMeter meter) {
    meters.add(meter);
  }

  /** Stops watching a meter and lets its call threads end. */
  void unwatch(PluginMeter meter) {
    meters.remove(meter);
    meter.close();
  }

  /**
   * Calls a route handler: refused when the plugin has its maximum in flight, stopped at the route
   * deadline.
   *
   * @throws PluginRuntimeException {@code CALL_REJECTED}, {@code CALL_DEADLINE}, {@code
   *     CALL_OVER_BUDGET}, or {@code CALL_FAILED} with the plugin's own exception as the cause
   */
  <T> T route(PluginMeter meter, String what, ClassLoader loader, Callable<T> body) {
    if (!meter.tryEnter()) {
      throw new PluginRuntimeException(
          Reason.CALL_REJECTED,
          meter.pluginId(),
          "plugin ["
              + meter.pluginId()
              + "] has "
              + meter.limits().maxConcurrentCalls()
              + " calls in flight already, its maximum; "
              + what
              + " refused, try again later");
    }
    return call(meter, "route", what, meter.limits().routeDeadline(), loader, body, true);
  }

  /** Calls an event handler, with the route deadline; failures are thrown as for routes. */
  <T> T event(PluginMeter meter, String what, ClassLoader loader, Callable<T> body) {
    return call(meter, "event", what, meter.limits().routeDeadline(), loader, body, false);
  }

  private <T> T call(
      PluginMeter meter,
      String kind,
      String what,
      Duration deadline,
      ClassLoader loader,
      Callable<T> body,
      boolean holdsSlot) {
    long deadlineNanos = System.nanoTime() + deadline.toNanos();
    AtomicReference<ActiveCall> active = new AtomicReference<>();
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              try {
                return meter.run(
                    kind, deadlineNanos, deadline.toMillis(), loader, active::set, body);
              } finally {
                if (holdsSlot) {
                  meter.leave();
                }
              }
            });
    try {
      meter.execute(task);
    } catch (RuntimeException | Error e) {
      if (holdsSlot) {
        meter.leave();
      }
      throw e;
    }
    try {
      T result = task.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
      ActiveCall call = active.get();
      if (call != null && call.stoppedAs() != null) {
        // The plugin caught the stop and returned anyway: the answer is still the stop.
        throw failed(meter, what, call, null);
      }
      return result;
    } catch (TimeoutException e) {
      ActiveCall call = active.get();
      String message =
          call == null
              ? "plugin [" + meter.pluginId() + "] " + kind + " call did not start in time"
              : meter.expire(call, deadline.toMillis());
      throw new PluginRuntimeException(
          Reason.CALL_DEADLINE, meter.pluginId(), message + " (" + what + ")");
    } catch (ExecutionException e) {
      throw failed(meter, what, active.get(), unwrap(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ActiveCall call = active.get();
      if (call != null) {
        call.stop(ActiveCall.Outcome.CANCELLED, "the caller of " + what + " was interrupted");
      }
      throw new PluginRuntimeException(
          Reason.CALL_FAILED,
          meter.pluginId(),
          "interrupted while plugin [" + meter.pluginId() + "] ran " + what,
          e);
    }
  }

  private static PluginRuntimeException failed(
      PluginMeter meter, String what, ActiveCall call, Throwable cause) {
    if (call != null && call.stoppedAs() != null) {
      Reason reason =
          switch (call.stoppedAs()) {
            case DEADLINE -> Reason.CALL_DEADLINE;
            case OVER_BUDGET -> Reason.CALL_OVER_BUDGET;
            case CANCELLED -> Reason.CALL_FAILED;
          };
      return new PluginRuntimeException(
          reason, meter.pluginId(), call.stopReason() + " (" + what + ")", cause);
    }
    return new PluginRuntimeException(
        Reason.CALL_FAILED,
        meter.pluginId(),
        "plugin [" + meter.pluginId() + "] failed on " + what + ": " + cause,
        cause);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof InvocationTargetException ite && ite.getCause() != null
        ? ite.getCause()
        : t;
  }

  @Override
  public void close() {
    closed = true;
    watchdog.interrupt();
  }
}
