package dev.cas.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A host library used as a deputy: {@link HostileProbe} leaves one in the system properties, where
 * a plugin finds it (a copy of them still holds the object) and asks it to read, connect, set a
 * property, load a class, run a task on the host's own pool, or hands it the host's scheduler, its
 * timer and tasks of host code alone to schedule on them.
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

  private final ScheduledThreadPoolExecutor scheduler =
      new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().factory());

  private final Timer timer = new Timer("host-timer", true);

  private final CountDownLatch held = new CountDownLatch(1);

  public HostDeputy() {
    pool.prestartAllCoreThreads();
    scheduler.prestartAllCoreThreads();
    // Loaded by the host: plugins may not load host classes, only use the ones they are handed.
    new HostTimerTask(() -> {}).cancel();
  }

  /**
   * Keeps the host's scheduler and timer threads busy until {@link #release}: what is scheduled on
   * them meanwhile waits, however short its delay.
   */
  public void hold() {
    scheduler.execute(this::awaitRelease);
    timer.schedule(
        new TimerTask() {
          @Override
          public void run() {
            awaitRelease();
          }
        },
        0);
  }

  /** Lets the scheduler and the timer go on. */
  public void release() {
    held.countDown();
  }

  private void awaitRelease() {
    try {
      held.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The host's own scheduler, its thread started by the host. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** The host's own timer. */
  public Timer timer() {
    return timer;
  }

  /** A task of host code alone that reads {@code path}: no frame of whoever schedules it. */
  public Runnable readTask(String path) {
    return () -> {
      try {
        Files.readString(Path.of(path));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** A task of host code alone that starts a process. */
  public Runnable processTask() {
    return () -> {
      try {
        new ProcessBuilder("true").start().waitFor();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** A timer task of the host's that runs {@code task}; {@code result()} tells how it went. */
  public TimerTask timerTask(Runnable task) {
    return new HostTimerTask(task);
  }

  /** A host {@link TimerTask}: no frame of the plugin that schedules it. */
  public static final class HostTimerTask extends TimerTask {
    private final Runnable task;
    private final CompletableFuture<Object> result = new CompletableFuture<>();

    HostTimerTask(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      try {
        task.run();
        result.complete("ran");
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    }

    public CompletableFuture<Object> result() {
      return result;
    }
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
