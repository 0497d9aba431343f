package dev.cas.sandbox.checker;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;

/**
 * The plugins a thread works for beyond the frames on its stack: the task context.
 *
 * <p>Threat: work handed to a pool the plugin does not own (the common pool, {@code
 * CompletableFuture.*Async}, parallel streams), or code without a plugin frame (a method-handle
 * proxy of {@code System::exit}), runs with no plugin frame on the stack and would be judged as the
 * JDK's. So the plugins acting when work is handed over are captured and restored while it runs:
 *
 * <ul>
 *   <li>the host runs each plugin call under {@link PolicyRegistry#runAsPlugin};
 *   <li>a common-pool task (submitted, forked) carries its submitter's context until it runs;
 *   <li>a {@code ThreadPoolExecutor} task is wrapped at {@code execute}, a scheduled task at {@code
 *       ScheduledThreadPoolExecutor.schedule*} and {@code ForkJoinPool.schedule*} (each run of a
 *       periodic task too);
 *   <li>a {@code java.util.Timer} task keeps its submitter's context from {@code Timer.sched} and
 *       has it restored by the timer's thread for each run;
 *   <li>a thread inherits its creator's context (an inheritable thread-local), and a plugin's
 *       started thread stays its owner's ({@link Attribution#own});
 *   <li>a method-handle proxy ({@code MethodHandleProxies.asInterfaceInstance}) runs its target in
 *       the context of the code that made it.
 * </ul>
 *
 * A context names plugins by id, so work of a plugin that was unloaded since gets no permission.
 * Each run of such a task on a pool or timer also goes through the runtime's {@link TaskHook},
 * which refuses the work of a stopped plugin and accounts the rest.
 */
public final class TaskContext {

  /** One link of a thread's context: plugin ids, or a barrier below which nothing counts. */
  private static final class Node {
    final String[] ids;
    final Node parent;

    Node(String[] ids, Node parent) {
      this.ids = ids;
      this.parent = parent;
    }
  }

  private static final InheritableThreadLocal<Node> CURRENT = new InheritableThreadLocal<>();

  /** For {@link #running}: only the JDK's {@code ForkJoinTask.doExec} may start a task. */
  private static final StackWalker CALLER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /** What {@link #running} returns when it restored nothing. */
  private static final Object NOT_ENTERED = new Object();

  /** Common-pool tasks waiting to run, with their submitters' contexts; removed when they run. */
  private static final Map<TaskKey, String[]> TASKS = new ConcurrentHashMap<>();

  private TaskContext() {}

  /** Adds the plugins of the current thread's context, down to its first barrier. */
  static void addCurrent(Attribution.Walk walk) {
    for (Node n = CURRENT.get(); n != null && n.ids != null; n = n.parent) {
      for (String id : n.ids) {
        walk.add(Attribution.current(id));
      }
    }
  }

  static String[] ids(PluginPolicy[] actors) {
    String[] ids = new String[actors.length];
    for (int i = 0; i < actors.length; i++) {
      ids[i] = actors[i].pluginId();
    }
    return ids;
  }

  /** The plugins acting now, by id, or {@code null} when only the host and the JDK are. */
  static String[] capture() {
    PluginPolicy[] actors = Attribution.actors();
    return actors.length == 0 ? null : ids(actors);
  }

  /** Adds {@code ids} to the current context; returns what {@link #exit} restores. */
  static Object enter(String[] ids) {
    Node previous = CURRENT.get();
    CURRENT.set(new Node(ids, previous));
    return previous;
  }

  /** Replaces the current context by {@code ids} alone (a barrier below them). */
  static Object enterAlone(String[] ids) {
    Node previous = CURRENT.get();
    CURRENT.set(new Node(ids, new Node(null, previous)));
    return previous;
  }

  /** The host acting for itself: nothing of the current context counts until {@link #exit}. */
  static Object enterBarrier() {
    Node previous = CURRENT.get();
    CURRENT.set(new Node(null, previous));
    return previous;
  }

  static void exit(Object previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set((Node) previous);
    }
  }

  // ---- the common pool: ForkJoinPool.poolSubmit/externalSubmit, ForkJoinTask.fork/doExec ----

  /** A task handed to {@code pool}: on the common pool it keeps its submitter's context. */
  public static void submitted(ForkJoinPool pool, ForkJoinTask<?> task) {
    if (pool != ForkJoinPool.commonPool() || task == null) {
      return; // other pools are their creator's: their threads carry its context
    }
    String[] ids = capture();
    if (ids != null) {
      TASKS.put(new TaskKey(task), ids);
    }
  }

  /** {@code fork()}: onto the current worker's pool, or the common pool from any other thread. */
  public static void forked(ForkJoinTask<?> task) {
    ForkJoinPool pool =
        Thread.currentThread() instanceof ForkJoinWorkerThread worker
            ? worker.getPool()
            : ForkJoinPool.commonPool();
    submitted(pool, task);
  }

  /**
   * A task starts running: its submitter's context, if it has one, until {@link #finished}; a task
   * the runtime refuses (its plugin was stopped) is cancelled instead and does not run.
   */
  public static Object running(ForkJoinTask<?> task) {
    if (TASKS.isEmpty()) {
      return NOT_ENTERED;
    }
    TaskKey key = new TaskKey(task);
    if (!TASKS.containsKey(key) || CALLER.getCallerClass() != ForkJoinTask.class) {
      // Threat: plugin code calling this public hook on a task it submitted, to take the task's
      // context (and its accounting and refusal) away before a worker runs it.
      return NOT_ENTERED;
    }
    String[] ids = TASKS.remove(key);
    if (ids == null) {
      return NOT_ENTERED;
    }
    Object work = TaskHook.starting(ids);
    if (work == TaskHook.REFUSED) {
      if (isAsyncStep(task)) {
        REFUSED_STEP.set(TaskHook.refusal(ids[0]));
        return REFUSED_STEP;
      }
      task.cancel(false);
      return NOT_ENTERED;
    }
    return new Running(enter(ids), work);
  }

  public static void finished(Object token) {
    if (token == REFUSED_STEP) {
      REFUSED_STEP.remove();
    } else if (token instanceof Running running) {
      exit(running.previous);
      TaskHook.ended(running.work);
    }
  }

  // ---- CompletableFuture.supplyAsync/runAsync: a refused step completes its future ----

  private static final Class<?> ASYNC_SUPPLY =
      jdkClass("java.util.concurrent.CompletableFuture$AsyncSupply");
  private static final Class<?> ASYNC_RUN =
      jdkClass("java.util.concurrent.CompletableFuture$AsyncRun");

  /** Set while a refused {@code supplyAsync/runAsync} step runs: it completes, fn not called. */
  private static final ThreadLocal<CancellationException> REFUSED_STEP = new ThreadLocal<>();

  private static Class<?> jdkClass(String name) {
    try {
      return Class.forName(name, false, null);
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A {@code CompletableFuture.supplyAsync/runAsync} task: cancelling the task would leave its
   * future pending for good, so a refused one runs with {@link #refusedStep} set instead, and the
   * agent's advice at its {@code run()} completes the future exceptionally before the plugin's
   * function is reached.
   */
  private static boolean isAsyncStep(Object task) {
    return task.getClass() == ASYNC_SUPPLY || task.getClass() == ASYNC_RUN;
  }

  /** What a refused async step's future completes with; {@code null} when none is refused. */
  public static CancellationException refusedStep() {
    return REFUSED_STEP.get();
  }

  /** A common-pool task running: the context to restore after it, the runtime's token. */
  private record Running(Object previous, Object work) {}

  /** A task by identity: tasks may define equals. */
  private static final class TaskKey {
    private final Object task;

    TaskKey(Object task) {
      this.task = task;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TaskKey other && other.task == task;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(task);
    }
  }

  // ---- ThreadPoolExecutor.execute, ScheduledThreadPoolExecutor and ForkJoinPool.schedule* ----

  /** The task, or a wrapper that runs it in its submitter's context. */
  public static Runnable wrap(Runnable task) {
    return wrap(task, false);
  }

  /**
   * A scheduled task ({@code ScheduledThreadPoolExecutor.schedule*}, {@code
   * ForkJoinPool.schedule*}), wrapped at schedule time: each of its runs, a periodic task's too,
   * has its submitter's context; a refused run throws, so a periodic task is not scheduled again.
   */
  public static Runnable wrapScheduled(Runnable task) {
    return wrap(task, true);
  }

  private static Runnable wrap(Runnable task, boolean scheduled) {
    if (task == null || task instanceof InContext) {
      return task;
    }
    String[] ids = capture();
    return ids == null ? task : new InContext(task, ids, scheduled);
  }

  /** {@link #wrapScheduled(Runnable)} for a value-returning task. */
  public static <V> Callable<V> wrapScheduled(Callable<V> task) {
    if (task == null || task instanceof CallableInContext) {
      return task;
    }
    String[] ids = capture();
    return ids == null ? task : new CallableInContext<>(task, ids);
  }

  /** A task with its submitter's context. */
  private static final class InContext implements Runnable {
    private final Runnable task;
    private final String[] ids;
    private final boolean scheduled;

    InContext(Runnable task, String[] ids, boolean scheduled) {
      this.task = task;
      this.ids = ids;
      this.scheduled = scheduled;
    }

    @Override
    public void run() {
      Object work = TaskHook.starting(ids);
      if (work == TaskHook.REFUSED) {
        refuse();
        return;
      }
      Object previous = enter(ids);
      try {
        task.run();
      } finally {
        exit(previous);
        TaskHook.ended(work);
      }
    }

    /** A refused task does not run; whoever waits for it learns it was cancelled. */
    private void refuse() {
      if (isAsyncStep(task)) {
        REFUSED_STEP.set(TaskHook.refusal(ids[0]));
        try {
          task.run(); // completes its future exceptionally, never calls the plugin's function
        } finally {
          REFUSED_STEP.remove();
        }
      } else if (task instanceof Future<?> future) {
        future.cancel(false); // ThreadPoolExecutor.submit's FutureTask
      } else if (scheduled) {
        throw TaskHook.refusal(ids[0]); // the scheduled future fails; a periodic task ends
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }

  /** A value-returning scheduled task with its submitter's context. */
  private static final class CallableInContext<V> implements Callable<V> {
    private final Callable<V> task;
    private final String[] ids;

    CallableInContext(Callable<V> task, String[] ids) {
      this.task = task;
      this.ids = ids;
    }

    @Override
    public V call() throws Exception {
      Object work = TaskHook.starting(ids);
      if (work == TaskHook.REFUSED) {
        throw TaskHook.refusal(ids[0]);
      }
      Object previous = enter(ids);
      try {
        return task.call();
      } finally {
        exit(previous);
        TaskHook.ended(work);
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }

  // ---- MethodHandleProxies.asInterfaceInstance ----

  /** The proxy's target, run in the context of the code making the proxy. */
  public static MethodHandle bind(MethodHandle target) {
    if (target == null) {
      return null;
    }
    String[] ids = capture();
    return ids == null ? target : Handles.bind(target, ids);
  }

  /** Loaded on first use only: the checker must not bootstrap java.lang.invoke in a check. */
  private static final class Handles {
    private static final MethodHandle INVOKE_IN;

    static {
      try {
        INVOKE_IN =
            MethodHandles.lookup()
                .findStatic(
                    Handles.class,
                    "invokeIn",
                    MethodType.methodType(
                        Object.class, String[].class, MethodHandle.class, Object[].class));
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    static MethodHandle bind(MethodHandle target, String[] ids) {
      MethodType type = target.type();
      int n = type.parameterCount();
      MethodHandle spread =
          target
              .asFixedArity()
              .asSpreader(Object[].class, n)
              .asType(MethodType.methodType(Object.class, Object[].class));
      return MethodHandles.insertArguments(INVOKE_IN, 0, ids, spread)
          .asCollector(Object[].class, n)
          .asType(type);
    }

    private static Object invokeIn(String[] ids, MethodHandle spread, Object[] args)
        throws Throwable {
      Object previous = enter(ids);
      try {
        return spread.invokeExact(args);
      } finally {
        exit(previous);
      }
    }
  }
}
