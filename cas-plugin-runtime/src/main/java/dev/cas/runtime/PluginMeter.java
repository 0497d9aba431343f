package dev.cas.runtime;

import dev.cas.runtime.ActiveCall.Outcome;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One plugin instance's accounting: runs each call's body on the calling (host-owned, platform)
 * thread with the plugin's loader, its loop budget bound, and its CPU time, allocation and wall
 * time measured; counts errors, timeouts and budget breaches; and after {@link
 * CallLimits#strikes()} breaches within the window asks the runtime, once, to deactivate the
 * plugin.
 */
final class PluginMeter {

  private final String pluginId;
  private final CallLimits limits;
  private final CallBudget budget;
  private final Semaphore slots;
  private final BiConsumer<PluginMeter, String> onRepeatedOffence;
  private final Set<ActiveCall> active = ConcurrentHashMap.newKeySet();
  private final LongAdder calls = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder overBudget = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder cpuNanos = new LongAdder();
  private final LongAdder allocatedBytes = new LongAdder();
  private final LongAdder wallNanos = new LongAdder();
  private final Deque<Long> strikes = new ArrayDeque<>();
  private boolean offenceReported;
  private final AtomicInteger threadCount = new AtomicInteger();
  private ThreadPoolExecutor threads;
  private boolean closed;
  private final PoolAccount pool = new PoolAccount(this);
  private final CallAttribution attribution;

  PluginMeter(
      String pluginId,
      CallLimits limits,
      CallBudget budget,
      BiConsumer<PluginMeter, String> onRepeatedOffence) {
    this(pluginId, limits, budget, onRepeatedOffence, CallAttribution.NONE);
  }

  PluginMeter(
      String pluginId,
      CallLimits limits,
      CallBudget budget,
      BiConsumer<PluginMeter, String> onRepeatedOffence,
      CallAttribution attribution) {
    this.pluginId = pluginId;
    this.attribution = attribution;
    this.limits = limits;
    this.budget = budget;
    this.slots = new Semaphore(limits.maxConcurrentCalls());
    this.onRepeatedOffence = onRepeatedOffence;
    this.threads = newPool();
  }

  /**
   * Route and event calls run on this plugin's own platform threads, kept for reuse while busy
   * (starting a thread per call cost about 0.3 ms) and ended after a second idle, so an inactive
   * plugin keeps none for long. They are the plugin's only, so what its code leaves in
   * thread-locals stays with it, and they end when the plugin is unloaded.
   */
  private ThreadPoolExecutor newPool() {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        1,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r ->
            Thread.ofPlatform()
                .daemon()
                .name("plugin-" + pluginId + "-call-" + threadCount.incrementAndGet())
                .unstarted(r));
  }

  /**
   * Runs a call's body on one of the plugin's threads; on a fresh one when the plugin is unloaded
   * already (a request that matched just before an upgrade switched the routes).
   */
  void execute(Runnable task) {
    ThreadPoolExecutor pool;
    synchronized (this) {
      pool = threads;
    }
    try {
      pool.execute(task);
    } catch (RejectedExecutionException stopped) {
      Thread.ofPlatform().daemon().name("plugin-" + pluginId + "-call").start(task);
    }
  }

  /**
   * Lets the idle call threads end now, e.g. when the plugin is deactivated; calls in flight finish
   * on theirs. Later calls get new threads.
   */
  void releaseThreads() {
    ThreadPoolExecutor old;
    synchronized (this) {
      old = threads;
      if (!closed) {
        threads = newPool();
      }
    }
    old.shutdown();
  }

  /** Lets the plugin's call threads end once their calls have, for good (unload). */
  void close() {
    synchronized (this) {
      closed = true;
    }
    releaseThreads();
  }

  String pluginId() {
    return pluginId;
  }

  CallLimits limits() {
    return limits;
  }

  /** Takes a route slot, or counts a refusal and returns false. */
  boolean tryEnter() {
    if (slots.tryAcquire()) {
      return true;
    }
    rejected.increment();
    return false;
  }

  void leave() {
    slots.release();
  }

  /**
   * Runs one call on the current thread, which must be a platform thread the host owns.
   *
   * @param deadlineNanos {@link System#nanoTime()} by which it must end, or {@link Long#MAX_VALUE}
   * @param deadlineMillis the deadline as configured, for messages
   * @param started receives the call before the body runs, so the caller can stop it
   */
  <T> T run(
      String kind,
      long deadlineNanos,
      long deadlineMillis,
      ClassLoader loader,
      Consumer<ActiveCall> started,
      Callable<T> body)
      throws Exception {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    ActiveCall call = begin(kind, deadlineNanos, deadlineMillis);
    started.accept(call);
    t.setContextClassLoader(loader);
    Throwable failure = null;
    try {
      return SandboxBridge.runAsPlugin(loader, body);
    } catch (Exception | Error e) {
      failure = e;
      throw e;
    } finally {
      t.setContextClassLoader(previous);
      end(call, failure);
    }
  }

  /**
   * Starts accounting a call on the current thread, binds its loop budget and attributes the thread
   * to the plugin until {@link #end}.
   */
  ActiveCall begin(String kind, long deadlineNanos, long deadlineMillis) {
    ActiveCall call = new ActiveCall(pluginId, kind, deadlineNanos, deadlineMillis);
    active.add(call);
    LoopBudget.bind(call);
    call.attributed = attribution.enter(pluginId);
    return call;
  }

  /** Attributes the current thread to the plugin for one run of its pool work. */
  CallAttribution.Scope attribute() {
    return attribution.enter(pluginId);
  }

  /** Ends a call begun on the current thread: adds up what it used, checks its budgets. */
  void end(ActiveCall call, Throwable failure) {
    long cpu = ActiveCall.cpuNow();
    long bytes = ActiveCall.bytesNow();
    LoopBudget.unbind();
    call.attributed.close();
    call.ended();
    active.remove(call);
    long usedCpu = cpu < 0 || call.cpuAtStart < 0 ? 0 : cpu - call.cpuAtStart;
    long usedBytes = bytes < 0 || call.bytesAtStart < 0 ? 0 : bytes - call.bytesAtStart;
    calls.increment();
    cpuNanos.add(usedCpu);
    allocatedBytes.add(usedBytes);
    wallNanos.add(System.nanoTime() - call.startNanos);
    if (failure != null || call.stoppedAs() != null) {
      errors.increment();
    }
    if (call.stoppedAs() == null) {
      checkFinished(call, usedCpu, usedBytes);
    }
  }

  /** A call finished before the watchdog saw it over: still a breach when it used too much. */
  void checkFinished(ActiveCall call, long usedCpu, long usedBytes) {
    String over = overBudget(call, usedCpu, usedBytes);
    if (over != null) {
      overBudget.increment();
      strike(over);
    }
  }

  /** The plugin's work on pools and timers it does not own. */
  PoolAccount pool() {
    return pool;
  }

  /**
   * Stops a call that passed its deadline, counts the timeout and a strike.
   *
   * @return the message the call was stopped with
   */
  String expire(ActiveCall call, long deadlineMillis) {
    String reason =
        "plugin ["
            + pluginId
            + "] "
            + call.kind
            + " call passed its deadline of "
            + deadlineMillis
            + " ms and was stopped";
    if (call.stop(Outcome.DEADLINE, reason)) {
      timeouts.increment();
      strike(reason);
      return reason;
    }
    return call.stopReason() == null ? reason : call.stopReason();
  }

  /** The watchdog's look at the calls in flight: deadlines, CPU and allocation so far. */
  void inspect(long now) {
    inspect(now, active);
    if (budget.cpuNanosPerCall().isPresent() || budget.bytesPerCall().isPresent()) {
      inspect(now, pool.active());
    }
  }

  private void inspect(long now, Set<ActiveCall> calls) {
    for (ActiveCall call : calls) {
      if (call.stopReason() != null) {
        continue;
      }
      if (call.deadlineNanos != Long.MAX_VALUE && now - call.deadlineNanos > 0) {
        expire(call, call.deadlineMillis);
        continue;
      }
      if (budget.cpuNanosPerCall().isEmpty() && budget.bytesPerCall().isEmpty()) {
        continue; // no budget: no need to ask the JVM for another thread's figures
      }
      String over =
          overBudget(
              call,
              budget.cpuNanosPerCall().isPresent() ? call.cpuSoFar() : 0,
              budget.bytesPerCall().isPresent() ? call.bytesSoFar() : 0);
      if (over != null && call.stop(Outcome.OVER_BUDGET, over + "; the call was stopped")) {
        overBudget.increment();
        strike(over);
      }
    }
  }

  private String overBudget(ActiveCall call, long cpu, long bytes) {
    if (budget.cpuNanosPerCall().isPresent() && cpu > budget.cpuNanosPerCall().getAsLong()) {
      return "plugin ["
          + pluginId
          + "] "
          + call.kind
          + " call used "
          + cpu / 1_000_000
          + " ms CPU, over its budget of "
          + budget.cpuNanosPerCall().getAsLong() / 1_000_000
          + " ms (sandbox.cpuLimit × route deadline)";
    }
    if (budget.bytesPerCall().isPresent() && bytes > budget.bytesPerCall().getAsLong()) {
      return "plugin ["
          + pluginId
          + "] "
          + call.kind
          + " call allocated "
          + bytes
          + " bytes, over its budget of "
          + budget.bytesPerCall().getAsLong()
          + " bytes (sandbox.memoryLimit)";
    }
    return null;
  }

  /** Stops the calls of one kind in flight, e.g. tasks when the plugin is deactivated. */
  void cancel(String kind, String why) {
    for (ActiveCall call : active) {
      if (call.kind.equals(kind)) {
        call.stop(
            Outcome.CANCELLED, "plugin [" + pluginId + "] " + kind + " call cancelled: " + why);
      }
    }
  }

  private void strike(String reason) {
    boolean report;
    synchronized (strikes) {
      long now = System.nanoTime();
      strikes.addLast(now);
      prune(now);
      report = strikes.size() >= limits.strikes() && !offenceReported;
      offenceReported |= report;
    }
    if (report) {
      onRepeatedOffence.accept(
          this,
          limits.strikes()
              + " deadline kills or budget breaches within "
              + limits.strikeWindow().toSeconds()
              + " s; last: "
              + reason);
    }
  }

  private void prune(long now) {
    while (!strikes.isEmpty() && now - strikes.peekFirst() > limits.strikeWindow().toNanos()) {
      strikes.removeFirst();
    }
  }

  /** Allows a new round of strikes, after the plugin was activated again. */
  void forgive() {
    synchronized (strikes) {
      strikes.clear();
      offenceReported = false;
    }
  }

  PluginUsage usage() {
    int strikeCount;
    synchronized (strikes) {
      prune(System.nanoTime());
      strikeCount = strikes.size();
    }
    return new PluginUsage(
        calls.sum(),
        errors.sum(),
        timeouts.sum(),
        overBudget.sum(),
        rejected.sum(),
        active.size(),
        cpuNanos.sum(),
        allocatedBytes.sum(),
        wallNanos.sum(),
        strikeCount,
        limits.routeDeadline(),
        limits.maxConcurrentCalls(),
        budget.cpuNanosPerCall(),
        budget.bytesPerCall(),
        pool.tasks(),
        pool.cancelled(),
        pool.stopped(),
        pool.cpuNanos(),
        pool.allocatedBytes());
  }
}
