package dev.cas.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The sandbox agent (cas-sandbox) as the host sees it: whether it enforces plugins' policies, the
 * denials it reports, and the start-up canary that proves it denies. Without the agent {@link
 * #enforced()} is false, no denial is ever reported and the canary is not run.
 */
public final class PluginSandbox {

  /** The plugin id the canary's loader is registered under; its denials reach no listener. */
  static final String CANARY_ID = "cas-sandbox-canary";

  private static final String DENIAL_CLASS = "dev.cas.sandbox.checker.PluginPermissionDenied";

  private static final List<Consumer<Denial>> LISTENERS = new CopyOnWriteArrayList<>();
  private static final AtomicLong CANARY_DENIALS = new AtomicLong();
  private static final AtomicLong LISTENER_FAILURES = new AtomicLong();
  private static volatile MethodHandle[] accessors;

  private PluginSandbox() {}

  /**
   * One sandbox denial, as the host records it.
   *
   * @param pluginId the plugin refused ({@code unknown:<loader>} for an unregistered loader)
   * @param operation the operation's name, e.g. {@code FILE_READ}, {@code PROCESS_START}
   * @param target what it was attempted on: a path, {@code host:port}, a command, a property
   * @param reason why it was refused
   */
  public record Denial(String pluginId, String operation, String target, String reason) {}

  /** Whether the agent is loaded, i.e. plugins' policies are enforced inside the JDK. */
  public static boolean enforced() {
    return SandboxBridge.enforcing();
  }

  /**
   * Calls {@code listener} on the denied thread for every sandbox denial of a plugin, until the
   * returned handle is closed. The listener must be quick and must not block (no I/O: hand the
   * denial to a thread of your own); what it throws is dropped. Does nothing without the agent.
   */
  public static AutoCloseable onDenial(Consumer<Denial> listener) {
    requireHost("listen to sandbox denials");
    installDispatcher();
    LISTENERS.add(listener);
    return () -> LISTENERS.remove(listener);
  }

  /**
   * The start-up canary: defines a tiny class in a fresh class loader, registers that loader with
   * the empty policy through the registry plugins are registered with, and makes it read {@code
   * outsideFile} (which must exist, outside every plugin folder), start a process and set a system
   * property. Each must be denied and reported; otherwise the host is not sandboxed as it believes,
   * and this throws {@code sandbox canary: <operation> was not denied (...)}.
   *
   * <p>Threat: an agent that loaded but does not guard (a JDK whose internals moved, a broken
   * build) giving a host that reports {@code enforced: true} while plugins run free.
   *
   * @return what was denied, one line per operation
   */
  public static List<String> runCanary(Path outsideFile) {
    requireHost("run the sandbox canary");
    installDispatcher();
    CanaryLoader loader = new CanaryLoader();
    // Its package folder must not hold the file: every plugin may read its own package. A
    // sibling that does not exist is nobody's folder.
    SandboxBridge.registerEmpty(
        loader, CANARY_ID, outsideFile.resolveSibling(".sandbox-canary-" + System.nanoTime()));
    long reportedBefore = CANARY_DENIALS.get();
    List<String> results;
    try {
      results = loader.probe().apply(outsideFile);
    } finally {
      SandboxBridge.unregister(loader);
    }
    List<String> denied = new ArrayList<>();
    for (String line : results) {
      if (!line.endsWith(": denied")) {
        throw new IllegalStateException("sandbox canary: " + line);
      }
      denied.add(line);
    }
    long reported = CANARY_DENIALS.get() - reportedBefore;
    if (reported < denied.size()) {
      throw new IllegalStateException(
          "sandbox canary: "
              + denied.size()
              + " operations were denied but "
              + reported
              + " denials reached the host's listener");
    }
    return denied;
  }

  /** How many times a listener threw (the denial itself went on). */
  public static long listenerFailures() {
    return LISTENER_FAILURES.get();
  }

  /**
   * Threat: a plugin reaching this public host class through the system class loader to watch every
   * plugin's denials. Refused when a plugin's code is anywhere on the stack.
   */
  private static void requireHost(String action) {
    Class<?> plugin =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(
                frames ->
                    frames
                        .map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c.getClassLoader() instanceof PluginClassLoader)
                        .findFirst()
                        .orElse(null));
    if (plugin != null) {
      String id = ((PluginClassLoader) plugin.getClassLoader()).pluginId();
      throw new SecurityException("plugin [" + id + "] may not " + action + ": only the host may");
    }
  }

  private static synchronized void installDispatcher() {
    if (accessors != null || !enforced()) {
      return;
    }
    try {
      Class<?> type = Class.forName(DENIAL_CLASS, false, null);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodType asObject = MethodType.methodType(Object.class, Object.class);
      MethodHandle[] found = new MethodHandle[4];
      String[] names = {"pluginId", "operation", "target", "reason"};
      for (int i = 0; i < names.length; i++) {
        MethodHandle h =
            lookup.findVirtual(
                type, names[i], MethodType.methodType(type.getMethod(names[i]).getReturnType()));
        found[i] = h.asType(asObject);
      }
      accessors = found;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the sandbox checker has no readable denial: " + e, e);
    }
    SandboxBridge.onDenial(PluginSandbox::dispatch);
  }

  /** On the denied thread, inside the checker: no I/O, nothing thrown. */
  private static void dispatch(Object denied) {
    Denial denial;
    try {
      denial =
          new Denial(
              String.valueOf(accessors[0].invoke(denied)),
              String.valueOf(accessors[1].invoke(denied)),
              String.valueOf(accessors[2].invoke(denied)),
              String.valueOf(accessors[3].invoke(denied)));
    } catch (Throwable t) {
      LISTENER_FAILURES.incrementAndGet();
      return;
    }
    if (denial.pluginId().equals(CANARY_ID)) {
      CANARY_DENIALS.incrementAndGet();
      return;
    }
    for (Consumer<Denial> listener : LISTENERS) {
      try {
        listener.accept(denial);
      } catch (RuntimeException e) {
        LISTENER_FAILURES.incrementAndGet();
      }
    }
  }

  /**
   * A fresh loader, parent the platform loader, that defines {@link SandboxCanaryProbe} from the
   * runtime's own class file: the probe is a class of this loader, not the host's.
   */
  private static final class CanaryLoader extends ClassLoader {
    CanaryLoader() {
      super(CANARY_ID, ClassLoader.getPlatformClassLoader());
    }

    @SuppressWarnings("unchecked")
    Function<Path, List<String>> probe() {
      String name = SandboxCanaryProbe.class.getName();
      try (InputStream in =
          PluginSandbox.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new IllegalStateException("sandbox canary: no class file for " + name);
        }
        byte[] bytes = in.readAllBytes();
        Class<?> type = defineClass(name, bytes, 0, bytes.length);
        return (Function<Path, List<String>>) type.getConstructor().newInstance();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("sandbox canary: cannot create the probe: " + e, e);
      }
    }
  }
}
