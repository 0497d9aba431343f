package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Tells the sandbox checker (cas-sandbox) which loader is which plugin's and what its manifest
 * allows. The checker is on the boot class path only when the host was started with the sandbox
 * agent ({@code -javaagent:cas-sandbox.jar}); without it every method here does nothing, and the
 * runtime has no compile-time dependency on the sandbox.
 */
final class SandboxBridge {

  private static final String REGISTRY = "dev.cas.sandbox.checker.PolicyRegistry";

  private static final MethodHandle REGISTER;
  private static final MethodHandle UNREGISTER;
  private static final MethodHandle SANCTION;
  private static final MethodHandle ON_DENIAL;
  private static final MethodHandle AS_HOST;
  private static final MethodHandle RUN_AS_PLUGIN;
  private static final MethodHandle ON_TASK_RUN;

  static {
    MethodHandle register = null;
    MethodHandle unregister = null;
    MethodHandle sanction = null;
    MethodHandle onDenial = null;
    MethodHandle asHost = null;
    MethodHandle runAsPlugin = null;
    MethodHandle onTaskRun = null;
    Class<?> registry = null;
    try {
      registry = Class.forName(REGISTRY, true, null);
    } catch (ClassNotFoundException noAgent) {
      // No agent: no sandbox to tell.
    }
    if (registry != null) {
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        register =
            lookup.findStatic(
                registry,
                "register",
                MethodType.methodType(
                    void.class,
                    ClassLoader.class,
                    String.class,
                    List.class,
                    String.class,
                    List.class,
                    String.class,
                    Path.class));
        unregister =
            lookup.findStatic(
                registry, "unregister", MethodType.methodType(void.class, ClassLoader.class));
        sanction =
            lookup.findStatic(
                registry, "sanctionThread", MethodType.methodType(void.class, Thread.class));
        onDenial =
            lookup.findStatic(
                registry, "onDenial", MethodType.methodType(void.class, Consumer.class));
        asHost =
            lookup.findStatic(
                registry, "asHost", MethodType.methodType(Object.class, Callable.class));
        runAsPlugin =
            lookup.findStatic(
                registry,
                "runAsPlugin",
                MethodType.methodType(Object.class, ClassLoader.class, Callable.class));
        onTaskRun =
            lookup.findStatic(
                registry,
                "onTaskRun",
                MethodType.methodType(void.class, Function.class, Consumer.class));
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
    REGISTER = register;
    UNREGISTER = unregister;
    SANCTION = sanction;
    ON_DENIAL = onDenial;
    AS_HOST = asHost;
    RUN_AS_PLUGIN = runAsPlugin;
    ON_TASK_RUN = onTaskRun;
  }

  private SandboxBridge() {}

  /** Whether the sandbox agent is loaded, i.e. whether plugins' policies are enforced. */
  static boolean enforcing() {
    return REGISTER != null;
  }

  /** Registers the policy of the plugin {@code loader} belongs to; before any class of it loads. */
  static void register(ClassLoader loader, Manifest manifest, Path folder) {
    if (REGISTER == null) {
      return;
    }
    Manifest.Sandbox sandbox =
        manifest
            .sandbox()
            .orElse(
                new Manifest.Sandbox(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    Optional.empty()));
    invoke(
        REGISTER,
        loader,
        manifest.id(),
        manifest.permissions(),
        sandbox.networkPolicy().orElse(""),
        sandbox.allowedHosts(),
        sandbox.filesystemAccess().orElse(""),
        folder);
  }

  /** Forgets an unloaded plugin's loader: any of its code still running gets no permission. */
  static void unregister(ClassLoader loader) {
    if (UNREGISTER != null) {
      invoke(UNREGISTER, loader);
    }
  }

  /** Lets a thread a host-owned plugin executor made be started from plugin code. */
  static void sanction(Thread thread) {
    if (SANCTION != null) {
      invoke(SANCTION, thread);
    }
  }

  /**
   * Installs the checker's denial listener (once per JVM); it receives each {@code
   * PluginPermissionDenied}, typed {@code Object} here because the runtime does not compile against
   * the sandbox.
   */
  static void onDenial(Consumer<Object> listener) {
    if (ON_DENIAL != null) {
      invoke(ON_DENIAL, listener);
    }
  }

  /**
   * Installs the checker's hook around each run of a plugin's task on a pool or timer it does not
   * own (once per JVM): {@code starting} gets the submitting plugin's id and returns a token for
   * {@code ended}, or {@code null} to refuse the task.
   */
  static void onTaskRun(Function<String, Object> starting, Consumer<Object> ended) {
    if (ON_TASK_RUN != null) {
      invoke(ON_TASK_RUN, starting, ended);
    }
  }

  /**
   * Runs {@code body} as the host acting for itself: the plugin frames below and the thread's task
   * context do not count inside it (plugin code it calls back does). Only at the doors the host
   * opens to plugins — its services, the key-value store, events, a dependency's jar — each listed
   * in docs/security.md; anything else a plugin reaches runs with the plugin's rights.
   */
  static <T> T asHost(Callable<T> body) throws Exception {
    if (AS_HOST == null) {
      return body.call();
    }
    return call(AS_HOST, body);
  }

  /** {@link #asHost} for a body without checked exceptions. */
  static <T> T asHostUnchecked(Callable<T> body) {
    try {
      return asHost(body);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("host service failed: " + e, e);
    }
  }

  /**
   * Runs one call of the plugin {@code loader} belongs to: what it does, and the work it hands to
   * pools and threads, is judged against that plugin's policy even where no frame of it is on the
   * stack (a method-handle proxy, a JDK callback).
   */
  static <T> T runAsPlugin(ClassLoader loader, Callable<T> body) throws Exception {
    if (RUN_AS_PLUGIN == null) {
      return body.call();
    }
    return call(RUN_AS_PLUGIN, loader, body);
  }

  @SuppressWarnings("unchecked")
  private static <T> T call(MethodHandle handle, Object... args) throws Exception {
    try {
      return (T) handle.invokeWithArguments(args);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("sandbox checker failed: " + t, t);
    }
  }

  /** Registers {@code loader} with the empty policy: nothing sensitive allowed (the canary). */
  static void registerEmpty(ClassLoader loader, String id, Path folder) {
    if (REGISTER != null) {
      invoke(REGISTER, loader, id, List.of(), "", List.of(), "", folder);
    }
  }

  private static void invoke(MethodHandle handle, Object... args) {
    try {
      handle.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("sandbox checker failed: " + t, t);
    }
  }
}
