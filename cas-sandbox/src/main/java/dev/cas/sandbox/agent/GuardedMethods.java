package dev.cas.sandbox.agent;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TimerTask;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which JDK method gets which {@link Guards} advice. Callee side: the JDK's choke points under the
 * public API, so that every route to the operation (direct call, reflection, method handle, the
 * JDK's own indirect routes such as {@code Runtime.exec} or {@code HttpClient}) meets the check.
 *
 * @param type the JDK class, by name (several are not public)
 * @param methods the methods or constructors of it to guard
 * @param advice the {@link Guards} class inlined at their start
 */
record GuardedMethods(
    String type, ElementMatcher<? super MethodDescription> methods, Class<?> advice) {

  /**
   * The public scheduling methods of {@code ScheduledThreadPoolExecutor} and {@code ForkJoinPool}.
   */
  private static final ElementMatcher.Junction<MethodDescription> SCHEDULE =
      named("schedule")
          .or(named("scheduleAtFixedRate"))
          .or(named("scheduleWithFixedDelay"))
          .and(isPublic())
          .and(takesArgument(0, Runnable.class).or(takesArgument(0, Callable.class)));

  /** A static setter of JVM-wide state: any plugin frame on the stack denies. */
  private static GuardedMethods global(
      String type, ElementMatcher.Junction<MethodDescription> methods) {
    return new GuardedMethods(type, methods.and(isStatic()), Guards.GlobalState.class);
  }

  static List<GuardedMethods> all() {
    return List.of(
        // files, java.io
        new GuardedMethods(
            "java.io.FileInputStream",
            isConstructor().and(takesArguments(File.class)),
            Guards.FileRead.class),
        new GuardedMethods(
            "java.io.FileOutputStream",
            isConstructor().and(takesArguments(File.class, boolean.class)),
            Guards.FileWrite.class),
        new GuardedMethods(
            "java.io.RandomAccessFile",
            isConstructor().and(takesArguments(File.class, String.class, boolean.class)),
            Guards.RandomAccess.class),
        new GuardedMethods(
            "java.io.UnixFileSystem",
            named("delete").or(named("createDirectory")).and(takesArguments(File.class)),
            Guards.FileWrite.class),
        new GuardedMethods(
            "java.io.UnixFileSystem",
            named("createFileExclusively").and(takesArguments(String.class)),
            Guards.FileCreate.class),
        // file metadata, java.io: File.exists/isDirectory/length/lastModified/list/canRead/…
        new GuardedMethods(
            "java.io.UnixFileSystem",
            named("getBooleanAttributes")
                .or(named("getLastModifiedTime"))
                .or(named("getLength"))
                .or(named("list"))
                .and(takesArguments(File.class))
                .or(
                    named("hasBooleanAttributes")
                        .or(named("checkAccess"))
                        .or(named("getSpace"))
                        .and(takesArguments(File.class, int.class))),
            Guards.FileRead.class),
        // File.setLastModified/setReadable/setWritable/setExecutable/setReadOnly
        new GuardedMethods(
            "java.io.UnixFileSystem",
            named("setPermission")
                .or(named("setLastModifiedTime"))
                .or(named("setReadOnly"))
                .and(takesArgument(0, File.class)),
            Guards.FileWrite.class),
        new GuardedMethods(
            "java.io.UnixFileSystem",
            named("rename").and(takesArguments(File.class, File.class)),
            Guards.FileRename.class),
        // File.getCanonicalPath and Path.toRealPath tell whether a path and its links exist
        new GuardedMethods(
            "java.io.UnixFileSystem",
            named("canonicalize").and(takesArguments(String.class)),
            Guards.Canonicalize.class),
        new GuardedMethods(
            "sun.nio.fs.UnixPath",
            named("toRealPath").and(takesArguments(LinkOption[].class)),
            Guards.RealPath.class),
        // files, java.nio.file (Files and FileChannel go through the provider)
        new GuardedMethods(
            "sun.nio.fs.UnixFileSystemProvider",
            named("newByteChannel")
                .or(named("newFileChannel"))
                .or(named("newAsynchronousFileChannel"))
                .and(takesArgument(0, Path.class)),
            Guards.PathOpen.class),
        new GuardedMethods(
            "sun.nio.fs.UnixFileSystemProvider",
            named("newDirectoryStream").or(named("readSymbolicLink")),
            Guards.PathRead.class),
        new GuardedMethods(
            "sun.nio.fs.UnixFileSystemProvider",
            named("createDirectory").or(named("implDelete")),
            Guards.PathWrite.class),
        new GuardedMethods(
            "sun.nio.fs.UnixFileSystemProvider",
            named("copy").or(named("move")),
            Guards.PathTwo.class),
        // links: Files.createSymbolicLink/createLink and the provider's own methods
        new GuardedMethods(
            "sun.nio.fs.UnixFileSystemProvider",
            named("createSymbolicLink").or(named("createLink")).and(takesArgument(0, Path.class)),
            Guards.CreateLink.class),
        // NIO metadata: Files.exists/isReadable/…, readAttributesIfExists (Files.isDirectory,
        // isRegularFile), getFileStore; every attribute view (Files.readAttributes, size,
        // getLastModifiedTime, getOwner, getPosixFilePermissions) is made by a factory below
        new GuardedMethods(
            "sun.nio.fs.UnixFileSystemProvider",
            named("checkAccess")
                .or(named("exists"))
                .or(named("readAttributesIfExists"))
                .or(named("getFileStore"))
                .or(named("isReadable"))
                .or(named("isWritable"))
                .or(named("isExecutable"))
                .and(takesArgument(0, Path.class)),
            Guards.PathRead.class),
        new GuardedMethods(
            "sun.nio.fs.UnixFileSystemProvider",
            named("isSameFile").and(takesArguments(Path.class, Path.class)),
            Guards.PathTwoRead.class),
        new GuardedMethods(
            "sun.nio.fs.UnixFileAttributeViews",
            named("createBasicView")
                .or(named("createPosixView"))
                .or(named("createUnixView"))
                .or(named("createOwnerView")),
            Guards.PathRead.class),
        // ... and written through its setters: Files.setLastModifiedTime, setPosixFilePermissions,
        // setOwner, setAttribute
        new GuardedMethods(
            "sun.nio.fs.UnixFileAttributeViews$Basic",
            named("setTimes").and(takesArguments(3)),
            Guards.AttributeWrite.class),
        new GuardedMethods(
            "sun.nio.fs.UnixFileAttributeViews$Posix",
            named("setMode")
                .and(takesArguments(int.class))
                .or(named("setOwners").and(takesArguments(int.class, int.class))),
            Guards.AttributeWrite.class),
        // network: every TCP connect (Socket, SocketChannel, HttpClient) ends here
        new GuardedMethods(
            "sun.nio.ch.Net",
            named("connect").and(takesArguments(4)).and(takesArgument(2, InetAddress.class)),
            Guards.Connect.class),
        // DNS: every name lookup (getByName, getAllByName, new Socket("name", …), HttpClient)
        new GuardedMethods(
            "java.net.InetAddress",
            named("getAllByName0").and(takesArguments(String.class, boolean.class)),
            Guards.Resolve.class),
        new GuardedMethods(
            "java.net.InetAddress",
            named("getHostFromNameService").and(takesArguments(InetAddress.class)),
            Guards.ReverseResolve.class),
        // UDP: send to an address (connect is Net.connect above)
        new GuardedMethods(
            "sun.nio.ch.DatagramChannelImpl",
            named("send").and(takesArguments(ByteBuffer.class, SocketAddress.class)),
            Guards.Send.class),
        // inbound: every listening socket, and any bind to a fixed local port
        new GuardedMethods(
            "sun.nio.ch.ServerSocketChannelImpl",
            named("bind").and(takesArguments(SocketAddress.class, int.class)),
            Guards.ListenChannel.class),
        new GuardedMethods(
            "sun.nio.ch.AsynchronousServerSocketChannelImpl",
            named("bind").and(takesArguments(SocketAddress.class, int.class)),
            Guards.ListenChannel.class),
        new GuardedMethods(
            "sun.nio.ch.NioSocketImpl",
            named("listen").and(takesArguments(int.class)),
            Guards.ListenSocket.class),
        new GuardedMethods(
            "sun.nio.ch.Net",
            named("bind").and(takesArguments(4)).and(takesArgument(2, InetAddress.class)),
            Guards.Bind.class),
        new GuardedMethods(
            "sun.nio.ch.UnixDomainSockets",
            named("bind").or(named("connect")).and(takesArgument(1, Path.class)),
            Guards.UnixSocket.class),
        // process, exit, native, threads, global state
        new GuardedMethods("java.lang.ProcessImpl", named("start"), Guards.ProcessStart.class),
        new GuardedMethods(
            "java.lang.ProcessHandleImpl",
            named("destroyProcess").and(takesArguments(boolean.class)),
            Guards.ProcessSignal.class),
        new GuardedMethods(
            "java.lang.ProcessHandleImpl",
            named("info").and(takesArguments(0)),
            Guards.ProcessInfo.class),
        new GuardedMethods(
            "java.lang.Runtime", named("exit").and(takesArguments(int.class)), Guards.Exit.class),
        new GuardedMethods(
            "java.lang.Runtime", named("halt").and(takesArguments(int.class)), Guards.Halt.class),
        new GuardedMethods(
            "java.lang.Runtime", named("addShutdownHook"), Guards.ShutdownHook.class),
        new GuardedMethods(
            "java.lang.Runtime",
            named("load0").or(named("loadLibrary0")),
            Guards.NativeLibrary.class),
        new GuardedMethods(
            "java.lang.Module", named("ensureNativeAccess"), Guards.NativeAccess.class),
        new GuardedMethods(
            "java.lang.Thread",
            named("start").and(takesArguments(0).or(takesArguments(1))),
            Guards.ThreadStart.class),
        new GuardedMethods(
            "java.lang.VirtualThread",
            named("start").and(takesArguments(0).or(takesArguments(1))),
            Guards.ThreadStart.class),
        new GuardedMethods(
            "java.lang.System",
            named("setProperty").or(named("clearProperty")),
            Guards.SetProperty.class),
        new GuardedMethods(
            "java.lang.System",
            named("setProperties").and(takesArguments(Properties.class)),
            Guards.SetProperties.class),
        new GuardedMethods(
            "java.lang.System",
            named("getProperties").and(takesArguments(0)),
            Guards.GetProperties.class),
        // the environment: System.getenv(…), ProcessBuilder.environment()
        new GuardedMethods(
            "java.lang.ProcessEnvironment",
            named("getenv").and(takesArguments(String.class)),
            Guards.EnvironmentVariable.class),
        new GuardedMethods(
            "java.lang.ProcessEnvironment",
            named("getenv").and(takesArguments(0)).or(named("environment").and(takesArguments(0))),
            Guards.Environment.class),
        // JVM-wide defaults and factories
        global("java.lang.System", named("setIn").or(named("setOut")).or(named("setErr"))),
        global("java.util.Locale", named("setDefault")),
        global("java.util.TimeZone", named("setDefault")),
        global("java.lang.Thread", named("setDefaultUncaughtExceptionHandler")),
        global("java.net.URL", named("setURLStreamHandlerFactory")),
        global(
            "java.net.URLConnection",
            named("setContentHandlerFactory")
                .or(named("setFileNameMap"))
                .or(named("setDefaultUseCaches"))
                .or(named("setDefaultAllowUserInteraction"))),
        global("java.net.HttpURLConnection", named("setFollowRedirects")),
        global("java.net.Socket", named("setSocketImplFactory")),
        global("java.net.ServerSocket", named("setSocketFactory")),
        global(
            "javax.net.ssl.HttpsURLConnection",
            named("setDefaultSSLSocketFactory").or(named("setDefaultHostnameVerifier"))),
        global("javax.net.ssl.SSLContext", named("setDefault")),
        global("java.net.Authenticator", named("setDefault")),
        global("java.net.ProxySelector", named("setDefault")),
        global("java.net.CookieHandler", named("setDefault")),
        global("java.net.ResponseCache", named("setDefault")),
        // security properties (jdk.tls.disabledAlgorithms, …) and the provider list
        global(
            "java.security.Security",
            named("setProperty")
                .or(named("addProvider"))
                .or(named("insertProviderAt"))
                .or(named("removeProvider"))),
        // new code: class loaders and classes defined from bytes
        new GuardedMethods(
            "java.lang.ClassLoader",
            isConstructor().and(takesArguments(Void.class, String.class, ClassLoader.class)),
            Guards.CreateClassLoader.class),
        new GuardedMethods(
            "java.lang.invoke.MethodHandles$Lookup",
            named("defineClass")
                .and(takesArguments(byte[].class))
                .or(named("defineHiddenClass"))
                .or(named("defineHiddenClassWithClassData")),
            Guards.DefineClass.class),
        // task context: work handed to the common pool, executors and method-handle proxies
        new GuardedMethods(
            "java.util.concurrent.ForkJoinPool",
            named("poolSubmit").and(takesArguments(boolean.class, ForkJoinTask.class)),
            Guards.PoolSubmit.class),
        new GuardedMethods(
            "java.util.concurrent.ForkJoinPool",
            named("externalSubmit").and(takesArguments(ForkJoinTask.class)),
            Guards.ExternalSubmit.class),
        new GuardedMethods(
            "java.util.concurrent.ForkJoinTask",
            named("fork").and(takesArguments(0)),
            Guards.Fork.class),
        new GuardedMethods(
            "java.util.concurrent.ForkJoinTask",
            named("doExec").and(takesArguments(0)),
            Guards.TaskRun.class),
        new GuardedMethods(
            "java.util.concurrent.ThreadPoolExecutor",
            named("execute").and(takesArguments(Runnable.class)),
            Guards.PoolExecute.class),
        // ... and to schedulers: their delayed queues bypass execute and poolSubmit
        new GuardedMethods(
            "java.util.concurrent.ScheduledThreadPoolExecutor",
            SCHEDULE.and(takesArgument(0, Runnable.class)),
            Guards.ScheduleRunnable.class),
        new GuardedMethods(
            "java.util.concurrent.ScheduledThreadPoolExecutor",
            SCHEDULE.and(takesArgument(0, Callable.class)),
            Guards.ScheduleCallable.class),
        new GuardedMethods(
            "java.util.concurrent.ForkJoinPool",
            SCHEDULE.and(takesArgument(0, Runnable.class)),
            Guards.ScheduleRunnable.class),
        new GuardedMethods(
            "java.util.concurrent.ForkJoinPool",
            SCHEDULE.and(takesArgument(0, Callable.class)),
            Guards.ScheduleCallable.class),
        // CompletableFuture.delayedExecutor: relayed from the common pool's delay scheduler
        new GuardedMethods(
            "java.util.concurrent.CompletableFuture$DelayedExecutor",
            named("execute").and(takesArguments(Runnable.class)),
            Guards.PoolExecute.class),
        new GuardedMethods(
            "java.util.concurrent.CompletableFuture$AsyncSupply",
            named("run").and(takesArguments(0)),
            Guards.AsyncStep.class),
        new GuardedMethods(
            "java.util.concurrent.CompletableFuture$AsyncRun",
            named("run").and(takesArguments(0)),
            Guards.AsyncStep.class),
        new GuardedMethods(
            "java.util.Timer",
            named("sched").and(takesArguments(TimerTask.class, long.class, long.class)),
            Guards.TimerSchedule.class),
        new GuardedMethods(
            "java.util.TimerThread",
            named("mainLoop").and(takesArguments(0)),
            Guards.TimerRun.class),
        new GuardedMethods(
            "java.lang.invoke.MethodHandleProxies",
            named("asInterfaceInstance").and(takesArguments(Class.class, MethodHandle.class)),
            Guards.ProxyTarget.class),
        // code with no frame of its maker: java.beans.EventHandler proxies
        new GuardedMethods("java.beans.EventHandler", isConstructor(), Guards.FramelessProxy.class),
        // host-only JVM services: management, JFR, logging configuration
        new GuardedMethods(
            "java.lang.management.ManagementFactory",
            isPublic().and(isStatic()),
            Guards.HostOnly.class),
        new GuardedMethods(
            "javax.management.MBeanServerFactory",
            isPublic().and(isStatic()),
            Guards.HostOnly.class),
        new GuardedMethods(
            "jdk.jfr.FlightRecorder",
            named("getFlightRecorder")
                .or(named("register"))
                .or(named("addPeriodicEvent"))
                .or(named("addListener"))
                .and(isStatic()),
            Guards.HostOnly.class),
        new GuardedMethods("jdk.jfr.Recording", isConstructor(), Guards.HostOnly.class),
        new GuardedMethods(
            "java.util.logging.LogManager",
            named("readConfiguration")
                .or(named("updateConfiguration"))
                .or(named("reset"))
                .or(named("addConfigurationListener"))
                .or(named("getLoggingMXBean")),
            Guards.LoggingConfig.class),
        new GuardedMethods(
            "java.util.logging.LogManager",
            named("addLogger").and(takesArguments(1)),
            Guards.AddLogger.class),
        new GuardedMethods(
            "java.util.logging.Logger",
            named("addHandler")
                .or(named("removeHandler"))
                .or(named("getHandlers"))
                .or(named("setLevel"))
                .or(named("setFilter"))
                .or(named("setParent"))
                .or(named("setUseParentHandlers"))
                .or(named("setResourceBundle"))
                .and(isPublic()),
            Guards.LoggerConfig.class),
        new GuardedMethods(
            "java.util.logging.LogManager$RootLogger",
            named("addHandler").or(named("removeHandler")),
            Guards.LoggerConfig.class),
        // the host's class path: the application loader refuses plugins all but the API
        new GuardedMethods(
            "jdk.internal.loader.BuiltinClassLoader",
            named("loadClass").and(takesArguments(String.class, boolean.class)),
            Guards.HostClass.class),
        new GuardedMethods(
            "jdk.internal.loader.BuiltinClassLoader",
            named("findClass").and(takesArguments(String.class, String.class)),
            Guards.HostModuleClass.class),
        // ... and the routes that find a class the loader has loaded already without asking it
        new GuardedMethods(
            "java.lang.Class",
            named("forName").and(takesArguments(String.class, boolean.class, ClassLoader.class)),
            Guards.ForName.class),
        new GuardedMethods(
            "java.lang.Class",
            named("forName").and(takesArguments(Module.class, String.class)),
            Guards.ForNameInModule.class),
        new GuardedMethods(
            "jdk.internal.loader.BuiltinClassLoader",
            named("findResource")
                .and(takesArguments(String.class))
                .or(named("findResources").and(takesArguments(String.class))),
            Guards.HostResource.class),
        // reflection into the checker, the host and other plugins
        new GuardedMethods(
            "java.lang.reflect.AccessibleObject",
            named("checkCanSetAccessible")
                .and(takesArguments(Class.class, Class.class, boolean.class)),
            Guards.SetAccessible.class),
        new GuardedMethods(
            "java.lang.invoke.MethodHandles",
            named("privateLookupIn").and(takesArguments(Class.class, MethodHandles.Lookup.class)),
            Guards.PrivateLookup.class));
  }
}
