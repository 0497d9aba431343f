package dev.cas.runtime;

import dev.cas.runtime.ActiveCall.Outcome;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * One plugin instance's work on pools and timers it does not own ({@link PoolWork}): each run is a
 * call of kind {@code pool} on the worker thread, measured between its start and its end (the
 * thread's CPU time and allocated bytes), bound to the loop budget (its loops stop when it is
 * stopped) and seen by the watchdog against the per-call budgets. Closed while the plugin is
 * inactive: queued tasks are refused, running ones stopped.
 */
final class PoolAccount {

  static final String KIND = "pool";

  private final PluginMeter meter;
  private final Set<ActiveCall> active = new HashSet<>();
  private final LongAdder tasks = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder stopped = new LongAdder();
  private final LongAdder cpuNanos = new LongAdder();
  private final LongAdder allocatedBytes = new LongAdder();
  private boolean open = true;

  /**
   * One run in progress; {@code call} is null when the thread's own call measures (and attributes)
   * it already.
   */
  record Task(PoolAccount account, ActiveCall call) {}

  PoolAccount(PluginMeter meter) {
    this.meter = meter;
  }

  /** On the worker: a token for {@link #ended}, or null when the plugin is stopped (refused). */
  Task starting() {
    if (LoopBudget.current() != null) {
      // Run inline by a thread in a call already (a join that helps): measured as that call.
      return isOpen() ? new Task(this, null) : refuse();
    }
    synchronized (active) {
      if (!open) {
        return refuse();
      }
      ActiveCall call = new ActiveCall(meter.pluginId(), KIND, Long.MAX_VALUE, -1);
      active.add(call);
      LoopBudget.bind(call);
      call.attributed = meter.attribute();
      return new Task(this, call);
    }
  }

  private Task refuse() {
    cancelled.increment();
    return null;
  }

  private boolean isOpen() {
    synchronized (active) {
      return open;
    }
  }

  /** On the worker, when the run ended: adds up what it used, checks the per-call budgets. */
  void ended(Task task) {
    ActiveCall call = task.call();
    if (call == null) {
      tasks.increment();
      return;
    }
    long cpu = ActiveCall.cpuNow();
    long bytes = ActiveCall.bytesNow();
    LoopBudget.unbind();
    call.attributed.close();
    call.ended();
    synchronized (active) {
      active.remove(call);
    }
    if (call.stoppedAs() != null) {
      // The stop's interrupt must not reach the pool's next task (ended() keeps further ones out).
      Thread.interrupted();
      stopped.increment();
    }
    long usedCpu = cpu < 0 || call.cpuAtStart < 0 ? 0 : cpu - call.cpuAtStart;
    long usedBytes = bytes < 0 || call.bytesAtStart < 0 ? 0 : bytes - call.bytesAtStart;
    tasks.increment();
    cpuNanos.add(usedCpu);
    allocatedBytes.add(usedBytes);
    if (call.stoppedAs() == null) {
      meter.checkFinished(call, usedCpu, usedBytes);
    }
  }

  /** The plugin stops: queued tasks are refused from now on, running ones told to stop. */
  void close(String why) {
    Set<ActiveCall> running;
    synchronized (active) {
      open = false;
      running = Set.copyOf(active);
    }
    for (ActiveCall call : running) {
      call.stop(Outcome.CANCELLED, "plugin [" + meter.pluginId() + "] pool task cancelled: " + why);
    }
  }

  /** The plugin is active again: its new pool work runs. */
  void open() {
    synchronized (active) {
      open = true;
    }
  }

  /** The runs in progress, for the watchdog. */
  Set<ActiveCall> active() {
    synchronized (active) {
      return Set.copyOf(active);
    }
  }

  long tasks() {
    return tasks.sum();
  }

  long cancelled() {
    return cancelled.sum();
  }

  long stopped() {
    return stopped.sum();
  }

  long cpuNanos() {
    return cpuNanos.sum();
  }

  long allocatedBytes() {
    return allocatedBytes.sum();
  }
}
