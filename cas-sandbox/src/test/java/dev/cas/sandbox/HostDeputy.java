package dev.cas.sandbox;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A host library used as a deputy: {@link HostileProbe} leaves one in the system properties, where
 * a plugin finds it (a copy of them still holds the object) and asks it to read, connect, set a
 * property, load a class or run a task on the host's own pool.
 */
public final class HostDeputy {

  private final ThreadPoolExecutor pool =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          Thread.ofPlatform().daemon().factory());

  public HostDeputy() {
    pool.prestartAllCoreThreads();
  }

  public String read(String path) throws IOException {
    return Files.readString(Path.of(path));
  }

  public String setProperty(String key) {
    return System.setProperty(key, "1");
  }

  public boolean connect(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return s.isConnected();
    }
  }

  public Class<?> load(String name) throws ClassNotFoundException {
    return Class.forName(name);
  }

  /** Runs {@code task} on the host's pool and waits for it. */
  public Object run(Callable<?> task) throws Exception {
    return pool.submit(task).get();
  }
}
