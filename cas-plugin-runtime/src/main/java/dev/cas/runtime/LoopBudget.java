package dev.cas.runtime;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The check that the runtime inserts at every loop back-edge of a plugin's own classes (see {@link
 * BudgetRewriter}), so that a loop stops once its call's deadline passed, its CPU or allocation
 * budget ran out or the call was cancelled — even a {@code while (true) { try { … } catch
 * (Throwable t) { } }}: the check throws again at every back-edge, and the back-edge of a loop that
 * catches is outside its own {@code try}.
 *
 * <p>Plugin loaders see this one class of the host by its exact name, nothing else of its package.
 * Its only public member is {@link #check()}, which can only stop the caller; binding a call and
 * stopping it are package-private, so a plugin cannot reset its own budget (reaching them needs
 * {@code setAccessible} on a host class, which the sandbox agent denies).
 *
 * <p>The hot path is one volatile read of a host-wide count of calls that must stop: zero almost
 * always. Only while some call somewhere is stopping does a back-edge look up its own thread's
 * call.
 */
public final class LoopBudget {

  /** Number of calls in flight that have been told to stop. */
  private static final AtomicInteger STOPPING = new AtomicInteger();

  private static final ThreadLocal<ActiveCall> CURRENT = new ThreadLocal<>();

  private LoopBudget() {}

  /** Throws when the calling thread runs a plugin call that must stop; otherwise returns. */
  public static void check() {
    if (STOPPING.get() != 0) {
      checkSlow();
    }
  }

  private static void checkSlow() {
    ActiveCall call = CURRENT.get();
    if (call != null) {
      String reason = call.stopReason();
      if (reason != null) {
        throw new CallStopped(reason);
      }
    }
  }

  static void bind(ActiveCall call) {
    CURRENT.set(call);
  }

  /** The call bound to the current thread, or null. */
  static ActiveCall current() {
    return CURRENT.get();
  }

  static void unbind() {
    CURRENT.remove();
  }

  static void stopping() {
    STOPPING.incrementAndGet();
  }

  static void stopped() {
    STOPPING.decrementAndGet();
  }

  /**
   * Thrown into plugin code at a back-edge of a stopped call. An {@link Error}, so that ordinary
   * {@code catch (Exception e)} lets it through; without a stack trace, so that throwing it at
   * every back-edge stays cheap and it holds no frames of the plugin.
   */
  static final class CallStopped extends Error {
    private static final long serialVersionUID = 1L;

    CallStopped(String message) {
      super(message, null, false, false);
    }
  }
}
