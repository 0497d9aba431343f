package dev.cas.runtime;

/**
 * One plugin call in flight, as its meter and the watchdog see it: the thread that runs it, when it
 * started, its deadline, the thread's CPU time and allocated bytes at the start, and why it must
 * stop once it must.
 */
final class ActiveCall {

  private static final java.lang.management.ThreadMXBean MX =
      java.lang.management.ManagementFactory.getThreadMXBean();

  final String pluginId;
  final String kind;
  final Thread thread;
  final long startNanos;
  final long deadlineNanos;
  final long deadlineMillis;
  final long cpuAtStart;
  final long bytesAtStart;
  private volatile String stopReason;
  private volatile Outcome stoppedAs;
  private boolean ended;

  /** The thread's attribution to the plugin while the call runs; ended with the call. */
  CallAttribution.Scope attributed = () -> {};

  /** Why a call was stopped. */
  enum Outcome {
    DEADLINE,
    OVER_BUDGET,
    CANCELLED
  }

  ActiveCall(String pluginId, String kind, long deadlineNanos, long deadlineMillis) {
    this.pluginId = pluginId;
    this.kind = kind;
    this.thread = Thread.currentThread();
    this.startNanos = System.nanoTime();
    this.deadlineNanos = deadlineNanos;
    this.deadlineMillis = deadlineMillis;
    this.cpuAtStart = cpuNow();
    this.bytesAtStart = bytesNow();
  }

  /** CPU time of the current (platform) thread, or -1 where the JVM cannot tell. */
  static long cpuNow() {
    return MX.getCurrentThreadCpuTime();
  }

  /** Bytes the current (platform) thread allocated so far, or -1 where the JVM cannot tell. */
  static long bytesNow() {
    return MX instanceof com.sun.management.ThreadMXBean sun
        ? sun.getCurrentThreadAllocatedBytes()
        : -1;
  }

  /** CPU time used so far, read from another thread (the watchdog); -1 when unknown. */
  long cpuSoFar() {
    long now = MX.getThreadCpuTime(thread.threadId());
    return now < 0 || cpuAtStart < 0 ? -1 : now - cpuAtStart;
  }

  /** Bytes allocated so far, read from another thread (the watchdog); -1 when unknown. */
  long bytesSoFar() {
    if (!(MX instanceof com.sun.management.ThreadMXBean sun)) {
      return -1;
    }
    long now = sun.getThreadAllocatedBytes(thread.threadId());
    return now < 0 || bytesAtStart < 0 ? -1 : now - bytesAtStart;
  }

  String stopReason() {
    return stopReason;
  }

  Outcome stoppedAs() {
    return stoppedAs;
  }

  /**
   * Tells the call to stop: its loops throw at their next back-edge and its thread is interrupted
   * (for blocking calls). Only the first reason counts.
   *
   * @return whether this stopped the call (false when it was stopped already)
   */
  synchronized boolean stop(Outcome outcome, String reason) {
    if (stopReason != null || ended) {
      return false;
    }
    stoppedAs = outcome;
    stopReason = reason;
    LoopBudget.stopping();
    thread.interrupt();
    return true;
  }

  /** Called by the call's own thread when it ends. */
  synchronized void ended() {
    ended = true;
    if (stopReason != null) {
      LoopBudget.stopped();
    }
  }
}
