package dev.cas.sandbox.checker;

import dev.cas.sandbox.checker.PluginPermissionDenied.Operation;
import java.io.File;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
 * otherwise. The JDK and the host acting for themselves are never refused (except reflection into
 * this package).
 *
 * <p>Who decides: the actors ({@link Attribution#actors}) — every plugin with a frame anywhere on
 * the stack plus the plugins the thread works for (its task context) — and each of them must be
 * allowed: host and JDK code a plugin reaches works with the plugin's rights. Process start, exit,
 * halt, shutdown hooks, native code, links and system properties are refused to any actor; thread
 * starts too, unless every actor declared {@code threads.create} or a host-owned plugin executor
 * sanctioned the thread; reflection is decided by the caller the JDK passes.
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

  /**
   * Threat: a rename carries a file out of, or over, places the plugin may not write ({@code
   * File.renameTo}): both paths need write access. One stack walk for both.
   */
  public static void checkFileRename(File from, File to) {
    PluginPolicy[] actors = Attribution.actors();
    if (actors.length > 0) {
      checkAgainst(actors, toPath(actors[0], from, true), true);
      checkAgainst(actors, toPath(actors[0], to, true), true);
    }
  }

  /**
   * Threat: a link is a path whose meaning changes after the check — a symbolic link swapped
   * between the check and the JDK's open (TOCTOU), a hard link carrying another file's contents in.
   * Plugins may not create links at all (symbolic or hard, through {@code Files} or the provider);
   * links the host made are followed and judged by their real path.
   */
  public static void checkCreateLink(Path link) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw deny(
          policy,
          Operation.CREATE_LINK,
          String.valueOf(link),
          "plugins may not create symbolic or hard links");
    }
  }

  /** {@code isSameFile}: reads the metadata of both. */
  public static void checkPathsRead(Path first, Path second) {
    PluginPolicy[] actors = Attribution.actors();
    if (actors.length > 0) {
      checkAgainst(actors, first, false);
      checkAgainst(actors, second, false);
    }
  }

  private static void checkFile(File file, boolean write) {
    PluginPolicy[] actors = Attribution.actors();
    if (actors.length > 0) {
      checkAgainst(actors, toPath(actors[0], file, write), write);
    }
  }

  private static Path toPath(PluginPolicy policy, File file, boolean write) {
    try {
      return file.toPath();
    } catch (InvalidPathException e) {
      throw deny(
          policy,
          write ? Operation.FILE_WRITE : Operation.FILE_READ,
          file.getPath(),
          "invalid path");
    }
  }

  private static void checkPath(Path path, boolean write) {
    PluginPolicy[] actors = Attribution.actors();
    if (actors.length > 0) {
      checkAgainst(actors, path, write);
    }
  }

  /** Every plugin acting must be allowed the real path. */
  private static void checkAgainst(PluginPolicy[] actors, Path path, boolean write) {
    Path real = FilePaths.real(path);
    for (PluginPolicy policy : actors) {
      Optional<String> refusal = policy.refuseFile(real, write);
      if (refusal.isPresent()) {
        String target = real.equals(path.toAbsolutePath()) ? real.toString() : path + " -> " + real;
        throw deny(
            policy, write ? Operation.FILE_WRITE : Operation.FILE_READ, target, refusal.get());
      }
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
    for (PluginPolicy policy : Attribution.actors()) {
      Optional<String> refusal = policy.refuseConnect(address, port);
      if (refusal.isPresent()) {
        throw deny(policy, Operation.CONNECT, hostAndPort(address, port), refusal.get());
      }
    }
  }

  /**
   * Threat: DNS exfiltration — a lookup carries the name (and whatever a plugin encodes in it) to
   * the DNS servers, even when no connection follows. {@code InetAddress.getAllByName0(host,
   * useCache)} is every name lookup's funnel (literals never reach it); {@code useCache == false}
   * is only {@code InetAddress.getLocalHost()} looking up the machine's own name, which passes.
   */
  public static void checkResolve(String host, boolean useCache) {
    if (!useCache) {
      return;
    }
    for (PluginPolicy policy : Attribution.actors()) {
      Optional<String> refusal = policy.refuseResolve(host);
      if (refusal.isPresent()) {
        throw deny(policy, Operation.RESOLVE, host, refusal.get());
      }
    }
  }

  /**
   * Threat: the same through a reverse lookup ({@code getHostName}, {@code getCanonicalHostName} on
   * an address made from a literal): the PTR query carries the address the plugin chose. {@code
   * InetAddress.getHostFromNameService(InetAddress)}; allowed when the address itself may be
   * resolved (it matches the host part of an allowed pattern).
   */
  public static void checkReverseResolve(InetAddress address) {
    for (PluginPolicy policy : Attribution.actors()) {
      String literal = address.getHostAddress();
      Optional<String> refusal = policy.refuseResolve(literal);
      if (refusal.isPresent()) {
        throw deny(policy, Operation.RESOLVE, literal + " (reverse lookup)", refusal.get());
      }
    }
  }

  /**
   * Threat: the same exfiltration over UDP ({@code DatagramSocket.send}, {@code DatagramChannel}).
   */
  public static void checkSend(SocketAddress target) {
    if (!(target instanceof InetSocketAddress isa)) {
      return; // not an InetSocketAddress: the JDK refuses it itself
    }
    for (PluginPolicy policy : Attribution.actors()) {
      if (isa.isUnresolved()) {
        throw deny(
            policy,
            Operation.SEND,
            isa.getHostString() + ":" + isa.getPort(),
            "unresolved address");
      }
      Optional<String> refusal = policy.refuseConnect(isa.getAddress(), isa.getPort());
      if (refusal.isPresent()) {
        throw deny(
            policy, Operation.SEND, hostAndPort(isa.getAddress(), isa.getPort()), refusal.get());
      }
    }
  }

  /**
   * Threat: a plugin serving the network (a backdoor, or a port the host needs). No permission
   * grants listening: {@code ServerSocket}, {@code ServerSocketChannel}, the asynchronous one, and
   * binding any fixed local port (a UDP server) are refused; an ephemeral client bind (port 0,
   * every {@code DatagramSocket}) passes.
   */
  public static void checkListen(SocketAddress local) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw deny(policy, Operation.LISTEN, localName(local), "no permission grants listening");
    }
  }

  /** {@code NioSocketImpl.listen} ({@code ServerSocket}): its bound address and port. */
  public static void checkListen(InetAddress address, int port) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      String host = address == null ? "0.0.0.0" : address.getHostAddress();
      throw deny(policy, Operation.LISTEN, host + ":" + port, "no permission grants listening");
    }
  }

  /** {@code sun.nio.ch.Net.bind}: only a fixed port is checked; port 0 is a client's. */
  public static void checkBind(InetAddress address, int port) {
    if (port != 0) {
      checkListen(new InetSocketAddress(address, port));
    }
  }

  /**
   * Threat: Unix-domain sockets reach local daemons (Docker, PostgreSQL, systemd) past the network
   * policy.
   */
  public static void checkUnixSocket(Path path) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw deny(policy, Operation.UNIX_SOCKET, String.valueOf(path), "not allowed to plugins");
    }
  }

  private static String localName(SocketAddress local) {
    if (local instanceof InetSocketAddress isa) {
      InetAddress a = isa.getAddress();
      return (a == null ? isa.getHostString() : a.getHostAddress()) + ":" + isa.getPort();
    }
    return local == null ? "an ephemeral port" : local.toString();
  }

  private static String hostAndPort(InetAddress address, int port) {
    String shown = address.toString();
    String name = shown.substring(0, shown.indexOf('/'));
    String literal = address.getHostAddress();
    return (name.isEmpty() ? literal : name + "/" + literal) + ":" + port;
  }

  // ---- catastrophic operations: any actor denies ----

  /** Threat: running arbitrary programs outside the JVM (ProcessBuilder, Runtime.exec). */
  public static void checkProcessStart(String[] command) {
    denyIfAnyPluginFrame(Operation.PROCESS_START, String.join(" ", command));
  }

  /**
   * Threat: killing processes the plugin did not start — the host's embedded PostgreSQL, anything
   * of the same user ({@code ProcessHandle.of(pid).destroy()}). Plugins start no processes, so
   * every process they could signal is someone else's. {@code ProcessHandleImpl.destroyProcess}.
   */
  public static void checkProcessSignal(long pid) {
    denyIfAnyPluginFrame(Operation.PROCESS_SIGNAL, Long.toString(pid));
  }

  /**
   * Threat: other processes' command lines, arguments and users carry secrets ({@code
   * -Dpassword=…}, connection strings); the JDK reads them natively, past the file checks. {@code
   * ProcessHandleImpl.info()}; the pid alone ({@code ProcessHandle.current().pid()}) stays allowed.
   */
  public static void checkProcessInfo(long pid) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw deny(policy, Operation.PROCESS_INFO, Long.toString(pid), "not allowed to plugins");
    }
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
    PluginPolicy policy = Attribution.firstActor();
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
    if (Attribution.isSanctioned(thread) || isSharedJdkThread(thread)) {
      return;
    }
    PluginPolicy[] actors = Attribution.actors();
    if (actors.length == 0) {
      return;
    }
    for (PluginPolicy policy : actors) {
      if (!policy.threads() && !isJdkInternal(thread)) {
        throw deny(
            policy,
            Operation.THREAD_START,
            thread.getName(),
            "plugins start tasks through PluginTasks executors unless they declare threads.create");
      }
    }
    // The thread works for the plugins: their own (threads.create), or a JDK helper started for
    // them (HttpClient's selector and workers). Whatever runs on it acts for them.
    Attribution.own(thread, actors);
  }

  /**
   * JDK helper threads (classes in {@code jdk.internal}, which plugins cannot instantiate): the JDK
   * starts them for the plugin's own use, as {@code HttpClient} does, and they may be started.
   */
  private static boolean isJdkInternal(Thread thread) {
    return thread.getClass().getName().startsWith("jdk.internal.");
  }

  /**
   * Threads the JDK shares between everyone: virtual-thread carriers, the common pool's workers and
   * its delay scheduler ({@code ForkJoinPool.schedule*}, {@code CompletableFuture.delayedExecutor},
   * started by the first caller). Never attributed to the plugin that happened to make the pool
   * grow; the tasks they run carry their submitters' contexts.
   */
  private static boolean isSharedJdkThread(Thread thread) {
    String type = thread.getClass().getName();
    if (type.equals("jdk.internal.misc.CarrierThread")) {
      return true;
    }
    if (type.equals("java.util.concurrent.DelayScheduler")) {
      // Only the common pool's is named so (a pool's name is the JDK's, not its creator's).
      return thread.getName().equals("ForkJoinPool.commonPool-delayScheduler");
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

  static PluginPermissionDenied deny(
      PluginPolicy policy, Operation operation, String target, String why) {
    return new PluginPermissionDenied(policy.pluginId(), operation, target, why);
  }
}
