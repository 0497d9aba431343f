package dev.cas.sandbox.agent;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.io.File;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
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
            named("createDirectory").or(named("implDelete")).or(named("createSymbolicLink")),
            Guards.PathWrite.class),
        new GuardedMethods(
            "sun.nio.fs.UnixFileSystemProvider",
            named("copy").or(named("move")).or(named("createLink")),
            Guards.PathTwo.class),
        // network: every TCP connect (Socket, SocketChannel, HttpClient) ends here
        new GuardedMethods(
            "sun.nio.ch.Net",
            named("connect").and(takesArguments(4)).and(takesArgument(2, InetAddress.class)),
            Guards.Connect.class),
        // process, exit, native, threads, global state
        new GuardedMethods("java.lang.ProcessImpl", named("start"), Guards.ProcessStart.class),
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
