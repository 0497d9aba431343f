package dev.cas.sandbox.checker;

import dev.cas.sandbox.checker.PluginPermissionDenied.Operation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where the host registers each plugin's policy (when it creates the plugin's class loader) and
 * removes it (when it unloads the plugin). The runtime calls it reflectively, only when the agent
 * put it on the boot class path; without the agent nothing is registered and nothing is checked.
 *
 * <p>Threat: a plugin calling these public methods to give itself a wider policy, or to sanction
 * its own threads. Registering refuses a call with any plugin acting; sanctioning, which the host's
 * plugin executors do while a plugin submits a task, and the host's blocks ({@link #asHost}, {@link
 * #runAsPlugin}) refuse any caller that is not host code.
 */
public final class PolicyRegistry {

  /** The host's denial listener; set once, by the host. */
  private static volatile Consumer<? super PluginPermissionDenied> denialListener;

  /** Set while this thread runs the listener: a denial inside it is not reported again. */
  private static final ThreadLocal<Boolean> NOTIFYING = new ThreadLocal<>();

  private PolicyRegistry() {}

  /**
   * Registers the policy of the plugin {@code loader} belongs to.
   *
   * @param networkPolicy {@code open}, {@code restrictive} or {@code none}; empty for the default
   * @param filesystemAccess {@code plugin-only} or {@code none}; empty for none
   * @param folder the plugin's folder (symlinks are resolved here)
   */
  public static void register(
      ClassLoader loader,
      String pluginId,
      List<String> permissions,
      String networkPolicy,
      List<String> allowedHosts,
      String filesystemAccess,
      Path folder) {
    requireHost("register a policy for plugin " + pluginId);
    Attribution.register(
        loader,
        PluginPolicy.fromManifest(
            pluginId,
            Set.copyOf(permissions),
            optional(networkPolicy),
            allowedHosts,
            optional(filesystemAccess),
            folder));
  }

  /** Forgets a plugin's loader: code of it that still runs gets no permission at all. */
  public static void unregister(ClassLoader loader) {
    requireHost("unregister " + loader);
    Attribution.unregister(loader);
  }

  /**
   * Lets {@code thread}, made by a host-owned factory for a plugin's executor, be started once even
   * though plugin code triggers the start (plugins may not start raw threads).
   */
  public static void sanctionThread(Thread thread) {
    requireHostCaller("sanction thread " + thread.getName());
    Attribution.sanction(thread);
  }

  /**
   * Runs {@code body} as a call of the plugin {@code loader} belongs to: whatever it does, and the
   * work it hands to pools and threads, is judged against that plugin's policy alone (a barrier
   * hides the thread's context before the call), whatever frames are on the stack. The host runs
   * every plugin call (route, event, lifecycle, task) this way, so code of the plugin that leaves
   * no frame of its own (a method-handle proxy) still acts as the plugin.
   */
  public static <T> T runAsPlugin(ClassLoader loader, Callable<T> body) throws Exception {
    requireHostCaller("run code as a plugin");
    PluginPolicy policy = Attribution.policyOfLoader(loader);
    Object previous = TaskContext.enterAlone(new String[] {policy.pluginId()});
    try {
      return body.call();
    } finally {
      TaskContext.exit(previous);
    }
  }

  /**
   * Runs {@code body} as the host acting for itself: neither the plugin frames below this call on
   * the stack nor the thread's task context count inside it (plugin code {@code body} calls back
   * into does count again). The privileged block of this sandbox, like the SecurityManager's {@code
   * doPrivileged}; the host uses it only at the doors it opens to plugins (its services, the
   * key-value store, events, reading a dependency's jar), each listed in docs/security.md.
   *
   * <p>Threat: a plugin calling it to shed its own policy: only host code may call it (the first
   * caller past reflection and method handles must be the application loader's).
   */
  public static <T> T asHost(Callable<T> body) throws Exception {
    requireHostCaller("act as the host");
    Object previous = TaskContext.enterBarrier();
    try {
      return body.call();
    } finally {
      TaskContext.exit(previous);
    }
  }

  /**
   * Installs the runtime's hook around each run of a plugin's task on a pool or timer it does not
   * own: {@code starting} gets the submitting plugin's id on the thread about to run the task and
   * returns a token, or {@code null} to refuse the task (it is cancelled, never run); {@code ended}
   * gets that token when the task ends. Both run as the host, must be quick and must not throw
   * (what they throw is dropped, and the task runs unmetered).
   *
   * <p>Threat: a plugin installing its own hook to let its work run on after its deactivation, or
   * to watch other plugins' work. Only callable with no plugin frame on the stack, and only once
   * per JVM.
   */
  public static void onTaskRun(Function<String, Object> starting, Consumer<Object> ended) {
    requireHost("set the task hook");
    if (starting == null || ended == null) {
      throw new IllegalArgumentException("the task hook is missing");
    }
    TaskHook.install(starting, ended);
  }

  /**
   * Runs the task hook; the stack walk stops at this frame as at {@link #asHost} (the hook is the
   * host's, whatever runs below it on the stack).
   */
  @SuppressWarnings("unchecked")
  static Object runTaskHook(Object hook, Object argument) {
    if (hook instanceof Function<?, ?> f) {
      return ((Function<Object, Object>) f).apply(argument);
    }
    ((Consumer<Object>) hook).accept(argument);
    return null;
  }

  /** The code calling this registry must be the host's: a plugin's, a JDK proxy's are refused. */
  private static void requireHostCaller(String action) {
    Class<?> caller = Attribution.immediateCaller(PolicyRegistry.class);
    if (caller != null && Attribution.isHost(caller)) {
      return;
    }
    PluginPolicy actor = Attribution.firstActor();
    String who =
        actor != null
            ? actor.pluginId()
            : "unknown:" + (caller == null ? "no caller" : caller.getName());
    throw new PluginPermissionDenied(
        who,
        Operation.SANDBOX_ADMIN,
        PolicyRegistry.class.getName(),
        "only the host may " + action);
  }

  private static void requireHost(String action) {
    PluginPolicy untrusted = Attribution.firstActor();
    if (untrusted != null) {
      throw new PluginPermissionDenied(
          untrusted.pluginId(),
          Operation.SANDBOX_ADMIN,
          PolicyRegistry.class.getName(),
          "only the host may " + action);
    }
  }

  private static Optional<String> optional(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /**
   * Installs the host's denial listener: it sees every {@link PluginPermissionDenied}, on the
   * denied thread, before it is thrown. It must be quick and must not block (hand the denial to a
   * host thread for anything that does I/O); whatever it throws is dropped, so the checked code
   * always gets the denial and nothing else.
   *
   * <p>Threat: a plugin installing its own listener to silence or forge the host's record of its
   * denials. Only callable with no plugin frame on the stack, and only once per JVM.
   */
  public static void onDenial(Consumer<? super PluginPermissionDenied> listener) {
    requireHost("set the denial listener");
    if (listener == null) {
      throw new IllegalArgumentException("the denial listener is missing");
    }
    synchronized (PolicyRegistry.class) {
      if (denialListener != null) {
        throw new IllegalStateException("the sandbox denial listener is set already");
      }
      denialListener = listener;
    }
  }

  /** Called by every denial's constructor; never throws, never recurses. */
  static void notifyDenial(PluginPermissionDenied denial) {
    Consumer<? super PluginPermissionDenied> listener = denialListener;
    if (listener == null || NOTIFYING.get() != null) {
      return;
    }
    NOTIFYING.set(Boolean.TRUE);
    try {
      listener.accept(denial);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable ignored) {
      // Deliberately dropped: the checked code must get its denial, not the listener's failure;
      // the host's listener catches and reports its own problems.
    } finally {
      NOTIFYING.remove();
    }
  }
}
