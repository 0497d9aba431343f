package dev.cas.sandbox.checker;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.TimerTask;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task context of {@code java.util.Timer} tasks: {@code Timer.sched} records the submitter's
 * context, and the timer thread's {@code task.run()} (in {@code TimerThread.mainLoop}) is replaced
 * by {@link #runTimerTask}, which restores it for each run. A {@code TimerTask} is the caller's own
 * object, so no wrapper can stand in for it in the timer's queue.
 *
 * <p>Threat: a task of host code alone (no plugin frame) that a plugin schedules on the host's or a
 * shared timer, running there with the timer thread's identity — the host's. Its frames sit under
 * the task while it runs, so the stack walk passes them like {@link TaskContext}'s.
 */
public final class TimerTasks {

  private TimerTasks() {}

  /** Timer tasks with their submitters' contexts, by identity; kept for every run of a task. */
  private static final Map<WeakKey, String[]> TIMER_TASKS = new ConcurrentHashMap<>();

  private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();

  /** {@code Timer.sched}: the task keeps its submitter's context for all its runs. */
  public static void timerScheduled(TimerTask task) {
    for (Reference<?> gone = GONE.poll(); gone != null; gone = GONE.poll()) {
      TIMER_TASKS.remove(gone);
    }
    String[] ids = task == null ? null : TaskContext.capture();
    if (ids != null) {
      // A task is scheduled once: a second sched of it throws, and must not change its context.
      TIMER_TASKS.putIfAbsent(new WeakKey(task, GONE), ids);
    }
  }

  /**
   * Replaces the {@code task.run()} of the timer's thread: the task runs in its submitter's
   * context; a refused task is cancelled (a throw here would end the timer's thread, the host's).
   */
  public static void runTimerTask(TimerTask task) {
    String[] ids = TIMER_TASKS.isEmpty() ? null : TIMER_TASKS.get(new WeakKey(task, null));
    if (ids == null) {
      task.run();
      return;
    }
    Object work = TaskHook.starting(ids);
    if (work == TaskHook.REFUSED) {
      task.cancel();
      return;
    }
    Object previous = TaskContext.enter(ids);
    try {
      task.run();
    } finally {
      TaskContext.exit(previous);
      TaskHook.ended(work);
    }
  }

  /** A weak key by identity: a timer task may define equals, and must not be kept alive. */
  private static final class WeakKey extends WeakReference<Object> {
    private final int hash;

    WeakKey(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      Object referent = get();
      return o instanceof WeakKey other && referent != null && other.get() == referent;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
