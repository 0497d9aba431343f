package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

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

  static {
    MethodHandle register = null;
    MethodHandle unregister = null;
    MethodHandle sanction = null;
    MethodHandle onDenial = null;
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
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
    REGISTER = register;
    UNREGISTER = unregister;
    SANCTION = sanction;
    ON_DENIAL = onDenial;
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
