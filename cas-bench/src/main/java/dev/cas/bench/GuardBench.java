package dev.cas.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sandbox overhead with JMH: the same {@link GuardWorkload} as plugin code (defined by a plugin
 * loader registered with {@code PolicyRegistry}: network to one loopback port, files in its own
 * folder) and as host code, in a fork with the agent and the launcher's flags and in a fork with
 * the same flags but no agent. In the agent fork the setup first checks that the guards deny.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GuardBench {

  /** What the workload offers; public so that the plugin's copy links against the host's. */
  public interface Ops {
    long compute(long seed);

    long file(Path file) throws IOException;

    long socket(int port) throws IOException;
  }

  private static final String REGISTRY = "dev.cas.sandbox.checker.PolicyRegistry";

  private Ops plugin;
  private Ops host;
  private Path file;
  private ServerSocket server;
  private int port;
  private long seed = 42;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path folder = Files.createTempDirectory("cas-guard-plugin-").toRealPath();
    file = Files.writeString(folder.resolve("data.txt"), "x");
    server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    port = server.getLocalPort();
    Thread.ofPlatform().daemon().name("guard-echo").start(this::echo);
    ClassLoader loader = new PluginLoader(GuardBench.class.getClassLoader());
    boolean enforcing = register(loader, folder);
    boolean expected = Boolean.getBoolean("cas.bench.sandbox");
    if (enforcing != expected) {
      throw new IllegalStateException(
          (expected ? "the sandbox agent was asked for" : "no sandbox agent was asked for")
              + " but the checker is "
              + (enforcing ? "" : "not ")
              + "on the boot class path");
    }
    plugin = (Ops) loader.loadClass(GuardWorkload.class.getName()).getConstructor().newInstance();
    host = new GuardWorkload();
    if (plugin.getClass() == host.getClass() || plugin.file(file) != 'x') {
      throw new IllegalStateException("the plugin's copy of the workload does not work");
    }
    if (enforcing) {
      Path outside = Files.writeString(Files.createTempFile("cas-guard-outside-", ".txt"), "y");
      expectDenied(() -> plugin.file(outside), "read outside its folder");
      try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        expectDenied(() -> plugin.socket(other.getLocalPort()), "connect to a port not allowed");
      }
      Files.delete(outside);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    server.close();
  }

  @Benchmark
  public long computePlugin() {
    return plugin.compute(seed++);
  }

  @Benchmark
  public long computeHost() {
    return host.compute(seed++);
  }

  @Benchmark
  public long filePlugin() throws IOException {
    return plugin.file(file);
  }

  @Benchmark
  public long fileHost() throws IOException {
    return host.file(file);
  }

  @Benchmark
  public long socketPlugin() throws IOException {
    return plugin.socket(port);
  }

  @Benchmark
  public long socketHost() throws IOException {
    return host.socket(port);
  }

  /** Registers the plugin's policy when the agent put the checker on the boot class path. */
  private boolean register(ClassLoader loader, Path folder) throws Exception {
    Class<?> registry;
    try {
      registry = Class.forName(REGISTRY, true, null);
    } catch (ClassNotFoundException noAgent) {
      return false;
    }
    Method m =
        registry.getMethod(
            "register",
            ClassLoader.class,
            String.class,
            List.class,
            String.class,
            List.class,
            String.class,
            Path.class);
    m.invoke(
        null,
        loader,
        "guard-bench",
        List.of("network.outbound"),
        "restrictive",
        List.of("127.0.0.1:" + port),
        "plugin-only",
        folder);
    return true;
  }

  private interface Attempt {
    void run() throws IOException;
  }

  private static void expectDenied(Attempt attempt, String what) throws IOException {
    try {
      attempt.run();
    } catch (SecurityException denied) {
      return;
    }
    throw new IllegalStateException("the sandbox let plugin code " + what);
  }

  /** One connection at a time: read a byte, answer it, close. */
  private void echo() {
    while (!server.isClosed()) {
      try (Socket s = server.accept();
          InputStream in = s.getInputStream()) {
        s.getOutputStream().write(in.read());
      } catch (IOException e) {
        // closed at tear-down, or a client gone early
      }
    }
  }

  /** Defines {@link GuardWorkload} itself from the same bytes; all else comes from the parent. */
  static final class PluginLoader extends ClassLoader {
    PluginLoader(ClassLoader parent) {
      super("guard-bench-plugin", parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(GuardWorkload.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          String resource = name.replace('.', '/') + ".class";
          try (InputStream in = getParent().getResourceAsStream(resource)) {
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }
}
