package dev.cas.sandbox.checker;

import dev.cas.sandbox.checker.PluginPermissionDenied.Operation;
import java.io.File;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Layer 2: the checks the agent inserts at the start of the JDK's sensitive methods (callee side,
 * so direct calls, reflection, method handles and the JDK's own indirect routes all pass through).
 * Each method returns when the calling code may go on and throws {@link PluginPermissionDenied}
 * otherwise. JDK and host code is never refused (except reflection into this package).
 *
 * <p>Who decides: for files and connections, the first caller frame that is not the JDK's (one
 * short stack walk); for process start, exit, halt, shutdown hooks, native code and system
 * properties, any plugin frame on the whole stack; for thread starts, the first non-JDK frame, so a
 * host service (event bus, connection pool) may start threads while serving a plugin, and a thread
 * a host-owned plugin executor made is sanctioned; for reflection, the caller the JDK passes.
 */
public final class PolicyChecker {

  private static final String OWN_PACKAGE = PolicyChecker.class.getPackageName();

  private PolicyChecker() {}

  // ---- files: FileInputStream / FileOutputStream / RandomAccessFile / UnixFileSystemProvider ----

  /** Threat: reading secrets outside the plugin's folder (other plugins, host config, /proc). */
  public static void checkFileRead(File file) {
    checkFile(file, false);
  }

  /** Threat: writing outside the plugin's folder (host code, other plugins, cron, ssh keys). */
  public static void checkFileWrite(File file) {
    checkFile(file, true);
  }

  /** RandomAccessFile: mode {@code r} reads, anything with {@code w} writes. */
  public static void checkFileOpen(File file, String mode) {
    checkFile(file, mode.indexOf('w') >= 0);
  }

  /** NIO opens ({@code Files.newInputStream}, {@code FileChannel.open}, …): options decide. */
  public static void checkPathOpen(Path path, Set<? extends OpenOption> options) {
    checkPath(path, isWrite(options));
  }

  public static void checkPathRead(Path path) {
    checkPath(path, false);
  }

  public static void checkPathWrite(Path path) {
    checkPath(path, true);
  }

  private static void checkFile(File file, boolean write) {
    PluginPolicy policy = Attribution.callerPolicy();
    if (policy == null) {
      return;
    }
    Path path;
    try {
      path = file.toPath();
    } catch (InvalidPathException e) {
      throw deny(
          policy,
          write ? Operation.FILE_WRITE : Operation.FILE_READ,
          file.getPath(),
          "invalid path");
    }
    checkAgainst(policy, path, write);
  }

  private static void checkPath(Path path, boolean write) {
    PluginPolicy policy = Attribution.callerPolicy();
    if (policy != null) {
      checkAgainst(policy, path, write);
    }
  }

  private static void checkAgainst(PluginPolicy policy, Path path, boolean write) {
    Path real = FilePaths.real(path);
    Optional<String> refusal = policy.refuseFile(real, write);
    if (refusal.isPresent()) {
      String target = real.equals(path.toAbsolutePath()) ? real.toString() : path + " -> " + real;
      throw deny(policy, write ? Operation.FILE_WRITE : Operation.FILE_READ, target, refusal.get());
    }
  }

  private static boolean isWrite(Set<? extends OpenOption> options) {
    for (OpenOption o : options) {
      if (o == StandardOpenOption.WRITE
          || o == StandardOpenOption.APPEND
          || o == StandardOpenOption.CREATE
          || o == StandardOpenOption.CREATE_NEW
          || o == StandardOpenOption.TRUNCATE_EXISTING
          || o == StandardOpenOption.DELETE_ON_CLOSE) {
        return true;
      }
    }
    return false;
  }

  // ---- network: sun.nio.ch.Net.connect, under Socket, SocketChannel and HttpClient ----

  /** Threat: exfiltration and lateral movement to hosts the manifest does not name. */
  public static void checkConnect(InetAddress address, int port) {
    PluginPolicy policy = Attribution.callerPolicy();
    if (policy == null) {
      return;
    }
    Optional<String> refusal = policy.refuseConnect(address, port);
    if (refusal.isPresent()) {
      throw deny(policy, Operation.CONNECT, hostAndPort(address, port), refusal.get());
    }
  }

  private static String hostAndPort(InetAddress address, int port) {
    String shown = address.toString();
    String name = shown.substring(0, shown.indexOf('/'));
    String literal = address.getHostAddress();
    return (name.isEmpty() ? literal : name + "/" + literal) + ":" + port;
  }

  // ---- catastrophic operations: any plugin frame on the stack denies ----

  /** Threat: running arbitrary programs outside the JVM (ProcessBuilder, Runtime.exec). */
  public static void checkProcessStart(String[] command) {
    denyIfAnyPluginFrame(Operation.PROCESS_START, String.join(" ", command));
  }

  /** Threat: taking the whole host down (System.exit, Runtime.exit). */
  public static void checkExit(int status) {
    denyIfAnyPluginFrame(Operation.EXIT, Integer.toString(status));
  }

  /** Threat: taking the whole host down without shutdown hooks (Runtime.halt). */
  public static void checkHalt(int status) {
    denyIfAnyPluginFrame(Operation.HALT, Integer.toString(status));
  }

  /** Threat: code that runs at host shutdown, outliving the plugin's unload. */
  public static void checkShutdownHook(Thread hook) {
    denyIfAnyPluginFrame(Operation.SHUTDOWN_HOOK, hook.getName());
  }

  /**
   * Threat: native code escapes every check (System.load, System.loadLibrary). The JDK loading its
   * own libraries ({@code caller} is the JDK's) passes.
   */
  public static void checkNativeLibrary(Class<?> caller, String library) {
    if (caller != null && Attribution.isJdk(caller)) {
      return;
    }
    denyIfAnyPluginFrame(Operation.NATIVE_ACCESS, library);
  }

  /**
   * Threat: the same through the FFM API's restricted methods ({@code Linker}, {@code
   * SymbolLookup.libraryLookup}, {@code MemorySegment.reinterpret}). The JDK's own calls pass.
   */
  public static void checkNativeAccess(Class<?> caller, Class<?> owner, String method) {
    if (caller != null && Attribution.isJdk(caller)) {
      return;
    }
    denyIfAnyPluginFrame(Operation.NATIVE_ACCESS, owner.getName() + "." + method);
  }

  /** Threat: changing JVM-wide state other plugins and the host read (System.setProperty). */
  public static void checkSetProperty(String key) {
    denyIfAnyPluginFrame(Operation.SET_PROPERTY, key);
  }

  private static void denyIfAnyPluginFrame(Operation operation, String target) {
    PluginPolicy policy = Attribution.anyUntrustedFramePolicy();
    if (policy != null) {
      throw deny(policy, operation, target, "not allowed to plugins");
    }
  }

  // ---- threads ----

  /**
   * Threat: work that escapes the host's executors (not stopped at unload, not accounted). Plugins
   * run tasks through {@code PluginTasks}, whose threads the host sanctions.
   */
  public static void checkThreadStart(Thread thread) {
    if (Attribution.isSanctioned(thread) || isJdkManaged(thread)) {
      return;
    }
    PluginPolicy policy = Attribution.callerPolicy();
    if (policy != null) {
      throw deny(
          policy,
          Operation.THREAD_START,
          thread.getName(),
          "plugins start tasks through PluginTasks executors");
    }
  }

  /**
   * Threads the JDK runs for everyone: virtual-thread carriers and internal helpers (classes in
   * {@code jdk.internal}, which plugins cannot instantiate) and the bounded common pool's workers.
   */
  private static boolean isJdkManaged(Thread thread) {
    if (thread.getClass().getName().startsWith("jdk.internal.")) {
      return true;
    }
    return thread instanceof ForkJoinWorkerThread worker
        && worker.getPool() == ForkJoinPool.commonPool();
  }

  // ---- reflection: AccessibleObject.checkCanSetAccessible, MethodHandles.privateLookupIn ----

  /**
   * Threat: switching the sandbox off through its own private state, or changing host or other
   * plugins' private fields. Nobody may open this package; a plugin may open only its own classes.
   */
  public static void checkSetAccessible(Class<?> caller, Class<?> target) {
    if (caller == null || Attribution.isJdk(caller)) {
      return; // the JDK's own reflection, e.g. Enum.valueOf
    }
    if (target.getPackageName().equals(OWN_PACKAGE)) {
      if (!caller.getPackageName().equals(OWN_PACKAGE)) {
        PluginPolicy policy = Attribution.policyOf(caller);
        String who = policy != null ? policy.pluginId() : "host:" + caller.getName();
        throw new PluginPermissionDenied(
            who, Operation.REFLECT, target.getName(), "the sandbox checker is closed to everyone");
      }
      return;
    }
    if (caller.getClassLoader() == target.getClassLoader()) {
      return;
    }
    PluginPolicy policy = Attribution.policyOf(caller);
    if (policy != null) {
      throw deny(
          policy, Operation.REFLECT, target.getName(), "a plugin may open only its own classes");
    }
  }

  public static void checkPrivateLookup(Class<?> target, MethodHandles.Lookup caller) {
    checkSetAccessible(caller.lookupClass(), target);
  }

  private static PluginPermissionDenied deny(
      PluginPolicy policy, Operation operation, String target, String why) {
    return new PluginPermissionDenied(policy.pluginId(), operation, target, why);
  }
}
