package dev.cas.sandbox.agent;

import dev.cas.sandbox.checker.JvmStateChecker;
import dev.cas.sandbox.checker.PolicyChecker;
import dev.cas.sandbox.checker.TaskContext;
import dev.cas.sandbox.checker.TimerTasks;
import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TimerTask;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * The advice inlined at the start of each guarded JDK method. It may reference only classes the
 * boot loader sees: the JDK's and the checker's. Which method gets which advice is in {@link
 * GuardedMethods}.
 */
final class Guards {

  private Guards() {}

  /** {@code FileInputStream(File)}: every {@code FileInputStream}, {@code FileReader}. */
  static final class FileRead {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) File file) {
      PolicyChecker.checkFileRead(file);
    }
  }

  /** {@code FileOutputStream(File, boolean)}, {@code UnixFileSystem.delete/createDirectory}. */
  static final class FileWrite {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) File file) {
      PolicyChecker.checkFileWrite(file);
    }
  }

  /** {@code RandomAccessFile(File, String, boolean)}, under {@code ZipFile} and {@code JarFile}. */
  static final class RandomAccess {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) File file, @Advice.Argument(1) String mode) {
      PolicyChecker.checkFileOpen(file, mode);
    }
  }

  /** {@code java.io.UnixFileSystem.createFileExclusively(String)}: {@code File.createNewFile}. */
  static final class FileCreate {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String path) {
      PolicyChecker.checkFileWrite(new File(path));
    }
  }

  /** {@code UnixPath.toRealPath(LinkOption...)}: whether a path and its links exist. */
  static final class RealPath {
    @Advice.OnMethodEnter
    static void enter(@Advice.This Path path) {
      PolicyChecker.checkPathRead(path);
    }
  }

  /** {@code java.io.UnixFileSystem.canonicalize(String)}: {@code File.getCanonicalPath}. */
  static final class Canonicalize {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String path) {
      PolicyChecker.checkFileRead(new File(path));
    }
  }

  /** {@code UnixFileSystemProvider.newByteChannel/newFileChannel/newAsynchronousFileChannel}. */
  static final class PathOpen {
    @Advice.OnMethodEnter
    static void enter(
        @Advice.Argument(0) Path path, @Advice.Argument(1) Set<? extends OpenOption> options) {
      PolicyChecker.checkPathOpen(path, options);
    }
  }

  /** {@code newDirectoryStream}, {@code readSymbolicLink}. */
  static final class PathRead {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Path path) {
      PolicyChecker.checkPathRead(path);
    }
  }

  /** {@code createSymbolicLink}, {@code createLink}: the new link's path. */
  static final class CreateLink {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Path link) {
      PolicyChecker.checkCreateLink(link);
    }
  }

  /** {@code createDirectory}, {@code implDelete}. */
  static final class PathWrite {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Path path) {
      PolicyChecker.checkPathWrite(path);
    }
  }

  /** {@code copy}, {@code move}: both paths are written. */
  static final class PathTwo {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Path first, @Advice.Argument(1) Path second) {
      PolicyChecker.checkPathWrite(first);
      PolicyChecker.checkPathWrite(second);
    }
  }

  /** {@code sun.nio.ch.Net.connect(ProtocolFamily, FileDescriptor, InetAddress, int)}. */
  static final class Connect {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(2) InetAddress address, @Advice.Argument(3) int port) {
      PolicyChecker.checkConnect(address, port);
    }
  }

  /** {@code InetAddress.getAllByName0(String, boolean)}: every name lookup, cached or not. */
  static final class Resolve {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String host, @Advice.Argument(1) boolean useCache) {
      PolicyChecker.checkResolve(host, useCache);
    }
  }

  /** {@code InetAddress.getHostFromNameService(InetAddress)}: every reverse lookup. */
  static final class ReverseResolve {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) InetAddress address) {
      PolicyChecker.checkReverseResolve(address);
    }
  }

  /** {@code DatagramChannelImpl.send(ByteBuffer, SocketAddress)}: under DatagramSocket too. */
  static final class Send {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(1) SocketAddress target) {
      PolicyChecker.checkSend(target);
    }
  }

  /**
   * {@code ServerSocketChannelImpl/AsynchronousServerSocketChannelImpl.bind(SocketAddress, int)}.
   */
  static final class ListenChannel {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) SocketAddress local) {
      PolicyChecker.checkListen(local);
    }
  }

  /** {@code NioSocketImpl.listen(int)}: {@code ServerSocket}, bound before it listens. */
  static final class ListenSocket {
    @Advice.OnMethodEnter
    static void enter(
        @Advice.FieldValue("address") InetAddress address,
        @Advice.FieldValue("localport") int port) {
      PolicyChecker.checkListen(address, port);
    }
  }

  /** {@code Net.bind(ProtocolFamily, FileDescriptor, InetAddress, int)}: a fixed local port. */
  static final class Bind {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(2) InetAddress address, @Advice.Argument(3) int port) {
      PolicyChecker.checkBind(address, port);
    }
  }

  /** {@code UnixDomainSockets.bind/connect(FileDescriptor, Path)}. */
  static final class UnixSocket {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(1) Path path) {
      PolicyChecker.checkUnixSocket(path);
    }
  }

  /** {@code java.io.UnixFileSystem.rename(File, File)}: {@code File.renameTo}. */
  static final class FileRename {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) File from, @Advice.Argument(1) File to) {
      PolicyChecker.checkFileRename(from, to);
    }
  }

  /** {@code isSameFile(Path, Path)}: the metadata of both. */
  static final class PathTwoRead {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Path first, @Advice.Argument(1) Path second) {
      PolicyChecker.checkPathsRead(first, second);
    }
  }

  /** The attribute views' setters ({@code setTimes}, {@code setMode}, {@code setOwners}). */
  static final class AttributeWrite {
    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("file") Path file) {
      PolicyChecker.checkPathWrite(file);
    }
  }

  /** {@code ProcessEnvironment.getenv(String)}: {@code System.getenv(String)}. */
  static final class EnvironmentVariable {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String name) {
      JvmStateChecker.checkEnvironment(name);
    }
  }

  /** {@code ProcessEnvironment.getenv()/environment()}: the whole environment. */
  static final class Environment {
    @Advice.OnMethodEnter
    static void enter() {
      JvmStateChecker.checkEnvironment(null);
    }
  }

  /** The setters of JVM-wide defaults and factories, named by the guarded method. */
  static final class GlobalState {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String method) {
      JvmStateChecker.checkGlobalState(method);
    }
  }

  /** {@code System.getProperties()}: a plugin gets a copy, never the live object. */
  static final class GetProperties {
    @Advice.OnMethodExit
    static void exit(@Advice.Return(readOnly = false) Properties properties) {
      properties = JvmStateChecker.propertiesFor(properties);
    }
  }

  /** {@code ClassLoader(Void, String, ClassLoader)}: every other constructor delegates to it. */
  static final class CreateClassLoader {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(1) String name) {
      JvmStateChecker.checkCreateClassLoader(name);
    }
  }

  /**
   * {@code Lookup.defineClass}, {@code defineHiddenClass}, {@code defineHiddenClassWithClassData}.
   */
  static final class DefineClass {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#m") String method) {
      JvmStateChecker.checkDefineClass(method);
    }
  }

  /** {@code java.lang.ProcessImpl.start(String[], …)}: ProcessBuilder and Runtime.exec. */
  static final class ProcessStart {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String[] command) {
      PolicyChecker.checkProcessStart(command);
    }
  }

  /** {@code ProcessHandleImpl.destroyProcess(boolean)}: destroy, destroyForcibly. */
  static final class ProcessSignal {
    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("pid") long pid) {
      PolicyChecker.checkProcessSignal(pid);
    }
  }

  /** {@code ProcessHandleImpl.info()}: command line, arguments, user. */
  static final class ProcessInfo {
    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("pid") long pid) {
      PolicyChecker.checkProcessInfo(pid);
    }
  }

  /** {@code Runtime.exit(int)}: System.exit too. */
  static final class Exit {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) int status) {
      PolicyChecker.checkExit(status);
    }
  }

  /** {@code Runtime.halt(int)}. */
  static final class Halt {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) int status) {
      PolicyChecker.checkHalt(status);
    }
  }

  /** {@code Runtime.addShutdownHook(Thread)}. */
  static final class ShutdownHook {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Thread hook) {
      PolicyChecker.checkShutdownHook(hook);
    }
  }

  /** {@code Runtime.load0/loadLibrary0(Class, String)}: System.load and loadLibrary. */
  static final class NativeLibrary {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Class<?> caller, @Advice.Argument(1) String library) {
      PolicyChecker.checkNativeLibrary(caller, library);
    }
  }

  /** {@code Module.ensureNativeAccess(Class, String, Class, boolean)}: every restricted method. */
  static final class NativeAccess {
    @Advice.OnMethodEnter
    static void enter(
        @Advice.Argument(0) Class<?> owner,
        @Advice.Argument(1) String method,
        @Advice.Argument(2) Class<?> caller) {
      PolicyChecker.checkNativeAccess(caller, owner, method);
    }
  }

  /** {@code Thread.start()}, {@code Thread.start(ThreadContainer)} and VirtualThread's. */
  static final class ThreadStart {
    @Advice.OnMethodEnter
    static void enter(@Advice.This Thread thread) {
      PolicyChecker.checkThreadStart(thread);
    }
  }

  /** {@code System.setProperty/clearProperty(String…)}. */
  static final class SetProperty {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String key) {
      PolicyChecker.checkSetProperty(key);
    }
  }

  /** {@code System.setProperties(Properties)}. */
  static final class SetProperties {
    @Advice.OnMethodEnter
    static void enter() {
      PolicyChecker.checkSetProperty("*");
    }
  }

  /** {@code AccessibleObject.checkCanSetAccessible(Class, Class, boolean)}. */
  static final class SetAccessible {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Class<?> caller, @Advice.Argument(1) Class<?> target) {
      PolicyChecker.checkSetAccessible(caller, target);
    }
  }

  /** {@code MethodHandles.privateLookupIn(Class, Lookup)}. */
  static final class PrivateLookup {
    @Advice.OnMethodEnter
    static void enter(
        @Advice.Argument(0) Class<?> target, @Advice.Argument(1) MethodHandles.Lookup caller) {
      PolicyChecker.checkPrivateLookup(target, caller);
    }
  }

  // ---- task context: work handed to pools carries its submitter's plugins ----

  /** {@code ForkJoinPool.poolSubmit(boolean, ForkJoinTask)}: execute, submit, invoke. */
  static final class PoolSubmit {
    @Advice.OnMethodEnter
    static void enter(@Advice.This ForkJoinPool pool, @Advice.Argument(1) ForkJoinTask<?> task) {
      TaskContext.submitted(pool, task);
    }
  }

  /** {@code ForkJoinPool.externalSubmit(ForkJoinTask)}. */
  static final class ExternalSubmit {
    @Advice.OnMethodEnter
    static void enter(@Advice.This ForkJoinPool pool, @Advice.Argument(0) ForkJoinTask<?> task) {
      TaskContext.submitted(pool, task);
    }
  }

  /** {@code ForkJoinTask.fork()}: parallel streams, {@code invokeAll}. */
  static final class Fork {
    @Advice.OnMethodEnter
    static void enter(@Advice.This ForkJoinTask<?> task) {
      TaskContext.forked(task);
    }
  }

  /** {@code ForkJoinTask.doExec()}: every run of a task, its submitter's context restored. */
  static final class TaskRun {
    @Advice.OnMethodEnter
    static Object enter(@Advice.This ForkJoinTask<?> task) {
      return TaskContext.running(task);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object token) {
      TaskContext.finished(token);
    }
  }

  /**
   * {@code ThreadPoolExecutor.execute(Runnable)}, {@code
   * CompletableFuture$DelayedExecutor.execute}: the task wrapped with its submitter's context.
   */
  static final class PoolExecute {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable command) {
      command = TaskContext.wrap(command);
    }
  }

  /**
   * {@code ScheduledThreadPoolExecutor.schedule*} (its {@code execute} and {@code submit} too) and
   * {@code ForkJoinPool.schedule*}: the task wrapped with its submitter's context for every run.
   */
  static final class ScheduleRunnable {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable command) {
      command = TaskContext.wrapScheduled(command);
    }
  }

  /** {@code schedule(Callable, long, TimeUnit)} of both schedulers. */
  static final class ScheduleCallable {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(value = 0, readOnly = false) Callable<?> callable) {
      callable = TaskContext.wrapScheduled(callable);
    }
  }

  /**
   * {@code CompletableFuture$AsyncSupply/AsyncRun.run()}: a step the runtime refused completes its
   * future exceptionally here, so the plugin's function is not called and waiters are not left.
   */
  static final class AsyncStep {
    @Advice.OnMethodEnter
    static void enter(@Advice.FieldValue("dep") CompletableFuture<?> dep) {
      CancellationException refused = TaskContext.refusedStep();
      if (refused != null && dep != null) {
        dep.completeExceptionally(refused);
      }
    }
  }

  /** {@code Timer.sched(TimerTask, long, long)}: every {@code Timer.schedule*}. */
  static final class TimerSchedule {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) TimerTask task) {
      TimerTasks.timerScheduled(task);
    }
  }

  /**
   * {@code TimerThread.mainLoop()}: not advice but a substitution (see {@link GuardedMethods}), its
   * {@code task.run()} replaced by {@link TimerTasks#runTimerTask}.
   */
  static final class TimerRun {
    private TimerRun() {}
  }

  /** {@code MethodHandleProxies.asInterfaceInstance}: the target runs in its maker's context. */
  static final class ProxyTarget {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(value = 1, readOnly = false) MethodHandle target) {
      target = TaskContext.bind(target);
    }
  }

  /** {@code java.beans.EventHandler}'s constructor: {@code EventHandler.create}. */
  static final class FramelessProxy {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String method) {
      JvmStateChecker.checkFramelessProxy(method);
    }
  }

  // ---- host-only JVM services ----

  /** {@code ManagementFactory}, {@code MBeanServerFactory}, {@code FlightRecorder}, JFR. */
  static final class HostOnly {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String method) {
      JvmStateChecker.checkHostOnly(method);
    }
  }

  /** {@code LogManager.readConfiguration/updateConfiguration/reset/…}. */
  static final class LoggingConfig {
    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#t.#m") String method) {
      JvmStateChecker.checkLoggingConfig(method);
    }
  }

  /** {@code Logger.addHandler/setLevel/…}: the logger's own name. */
  static final class LoggerConfig {
    @Advice.OnMethodEnter
    static void enter(@Advice.This java.util.logging.Logger logger) {
      JvmStateChecker.checkLogger(logger.getName());
    }
  }

  /** {@code LogManager.addLogger(Logger)}: registering a logger under a name. */
  static final class AddLogger {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) java.util.logging.Logger logger) {
      JvmStateChecker.checkLogger(logger == null ? null : logger.getName());
    }
  }

  // ---- the host's class path ----

  /** {@code BuiltinClassLoader.loadClass(String, boolean)}: every class the loader is asked. */
  static final class HostClass {
    @Advice.OnMethodEnter
    static void enter(@Advice.This ClassLoader loader, @Advice.Argument(0) String name) {
      JvmStateChecker.checkHostClass(loader, name);
    }
  }

  /** {@code BuiltinClassLoader.findClass(String, String)}: {@code Class.forName(Module, …)}. */
  static final class HostModuleClass {
    @Advice.OnMethodEnter
    static void enter(@Advice.This ClassLoader loader, @Advice.Argument(1) String name) {
      JvmStateChecker.checkHostClass(loader, name);
    }
  }

  /** {@code Class.forName(String, boolean, ClassLoader)}: the JVM answers loaded classes itself. */
  static final class ForName {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) String name, @Advice.Argument(2) ClassLoader loader) {
      JvmStateChecker.checkHostClass(loader, name);
    }
  }

  /** {@code Class.forName(Module, String)}. */
  static final class ForNameInModule {
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) Module module, @Advice.Argument(1) String name) {
      JvmStateChecker.checkHostClass(module == null ? null : module.getClassLoader(), name);
    }
  }

  /** {@code BuiltinClassLoader.findResource(String)/findResources(String)}. */
  static final class HostResource {
    @Advice.OnMethodEnter
    static void enter(@Advice.This ClassLoader loader, @Advice.Argument(0) String name) {
      JvmStateChecker.checkHostResource(loader, name);
    }
  }
}
