package dev.cas.sandbox.checker;

import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The runtime's hook around each run of a plugin's task on a pool or timer it does not own (the
 * common pool, {@code CompletableFuture.*Async}, a host's or the JDK's executor, scheduler or
 * {@code Timer}): the checker only records who submitted the task and calls the hook; the runtime
 * decides whether the task may still run, measures it and stops it.
 *
 * <p>Threat: work a plugin queued before it was deactivated running afterwards, unaccounted and
 * unstoppable. The hook refuses tasks of a stopped plugin (the checker cancels them), measures the
 * CPU time and allocation of the others on the worker thread and interrupts them at deactivation.
 */
final class TaskHook {

  /** {@link #starting} when the runtime refused the task: it must not run. */
  static final Object REFUSED = new Object();

  /** {@link #starting} when there is no hook (or it failed): run, nothing to end. */
  static final Object UNMETERED = new Object();

  private static volatile Function<String, Object> startingHook;
  private static volatile Consumer<Object> endedHook;

  private TaskHook() {}

  static synchronized void install(Function<String, Object> starting, Consumer<Object> ended) {
    if (startingHook != null) {
      throw new IllegalStateException("the sandbox task hook is set already");
    }
    endedHook = ended;
    startingHook = starting;
  }

  /**
   * A task of {@code ids} (its submitter first) is about to run on the current thread: the
   * runtime's token to hand to {@link #ended}, or {@link #REFUSED}. The hook runs as the host.
   */
  static Object starting(String[] ids) {
    Function<String, Object> hook = startingHook;
    if (hook == null) {
      return UNMETERED;
    }
    Object previous = TaskContext.enterBarrier();
    try {
      Object token = PolicyRegistry.runTaskHook(hook, ids[0]);
      return token == null ? REFUSED : token;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable ignored) {
      // The runtime's failure must not break the pool: the task runs, unmetered.
      return UNMETERED;
    } finally {
      TaskContext.exit(previous);
    }
  }

  /** The task that {@code token} was returned for has ended (normally or not). */
  static void ended(Object token) {
    if (token == UNMETERED || token == REFUSED) {
      return;
    }
    Object previous = TaskContext.enterBarrier();
    try {
      PolicyRegistry.runTaskHook(endedHook, token);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable ignored) {
      // As above: the runtime reports its own problems, the pool goes on.
    } finally {
      TaskContext.exit(previous);
    }
  }

  /** What a refused task's waiters get. */
  static CancellationException refusal(String pluginId) {
    return new CancellationException(
        "plugin [" + pluginId + "] is stopped: its queued task was cancelled");
  }
}
