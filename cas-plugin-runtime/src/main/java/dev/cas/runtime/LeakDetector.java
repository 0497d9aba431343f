package dev.cas.runtime;

import java.lang.ref.WeakReference;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches the class loaders of unloaded plugins and, for any that outlive a garbage collection,
 * names what still holds them: a live thread (its class, its context class loader), a value in a
 * thread's thread-locals, or a JDBC driver left in {@link DriverManager}'s static registry.
 *
 * <p>Reading other threads' thread-locals needs {@code --add-opens
 * java.base/java.lang=ALL-UNNAMED}, reading the driver registry {@code --add-opens
 * java.sql/java.sql=ALL-UNNAMED}; without them, the report says so instead of naming thread-locals
 * or drivers.
 */
public final class LeakDetector {

  private final List<Watched> watched = new CopyOnWriteArrayList<>();

  /**
   * A loader that survived.
   *
   * @param pluginId whose loader it is
   * @param holders what holds it, as far as the detector can tell
   */
  public record Leak(String pluginId, List<String> holders) {
    public Leak {
      holders = List.copyOf(holders);
    }
  }

  private record Watched(String pluginId, WeakReference<ClassLoader> ref) {}

  void watch(String pluginId, ClassLoader loader) {
    watched.add(new Watched(pluginId, new WeakReference<>(loader)));
  }

  /** Loaders watched and not yet collected. */
  public int pending() {
    watched.removeIf(w -> w.ref.get() == null);
    return watched.size();
  }

  /**
   * Collects garbage until every watched loader is gone or {@code patience} runs out, then reports
   * the survivors with their holders. Reported loaders stay watched.
   */
  public List<Leak> check(Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (pending() > 0 && System.nanoTime() < deadline) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<Leak> leaks = new ArrayList<>();
    for (Watched w : watched) {
      ClassLoader loader = w.ref.get();
      if (loader != null) {
        leaks.add(new Leak(w.pluginId, holdersOf(loader)));
      }
    }
    return leaks;
  }

  private static List<String> holdersOf(ClassLoader loader) {
    List<String> holders = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getClass().getClassLoader() == loader) {
        holders.add(
            "thread ["
                + t.getName()
                + "] is an instance of plugin class "
                + t.getClass().getName());
      }
      if (t.getContextClassLoader() == loader) {
        holders.add("thread [" + t.getName() + "] has the plugin's loader as context class loader");
      }
      holders.addAll(threadLocalHolders(t, loader));
    }
    holders.addAll(driverHolders(loader));
    if (holders.isEmpty()) {
      holders.add(
          "no thread, thread-local or JDBC driver holds it; look for static fields of host or"
              + " JDK classes holding plugin objects (take a heap dump: jcmd <pid> GC.heap_dump)");
    }
    return holders;
  }

  /**
   * Drivers of the loader in {@link DriverManager}. Its public methods show a caller only the
   * drivers the caller's own loader can load, never a plugin's, so its registry is read directly.
   */
  private static List<String> driverHolders(ClassLoader loader) {
    List<String> found = new ArrayList<>();
    try {
      Field registry = DriverManager.class.getDeclaredField("registeredDrivers");
      registry.setAccessible(true);
      for (Object info : (Iterable<?>) registry.get(null)) {
        Field driverField = info.getClass().getDeclaredField("driver");
        driverField.setAccessible(true);
        Object driver = driverField.get(info);
        if (driver != null && driver.getClass().getClassLoader() == loader) {
          found.add(
              "static registry java.sql.DriverManager holds driver " + driver.getClass().getName());
        }
      }
      return found;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return List.of(
          "JDBC drivers not inspectable ("
              + e.getClass().getSimpleName()
              + "; run with --add-opens java.sql/java.sql=ALL-UNNAMED)");
    }
  }

  private static List<String> threadLocalHolders(Thread thread, ClassLoader loader) {
    List<String> found = new ArrayList<>();
    for (String fieldName : new String[] {"threadLocals", "inheritableThreadLocals"}) {
      try {
        Field mapField = Thread.class.getDeclaredField(fieldName);
        mapField.setAccessible(true);
        Object map = mapField.get(thread);
        if (map == null) {
          continue;
        }
        Field tableField = map.getClass().getDeclaredField("table");
        tableField.setAccessible(true);
        Object table = tableField.get(map);
        for (int i = 0; i < Array.getLength(table); i++) {
          Object entry = Array.get(table, i);
          if (entry == null) {
            continue;
          }
          Field valueField = entry.getClass().getDeclaredField("value");
          valueField.setAccessible(true);
          Object value = valueField.get(entry);
          if (value != null && heldBy(value, loader)) {
            found.add(
                "thread-local of thread ["
                    + thread.getName()
                    + "] holds a "
                    + value.getClass().getName());
          }
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        return List.of(
            "thread-locals of thread ["
                + thread.getName()
                + "] not inspectable ("
                + e.getClass().getSimpleName()
                + "; run with --add-opens java.base/java.lang=ALL-UNNAMED)");
      }
    }
    return found;
  }

  private static boolean heldBy(Object value, ClassLoader loader) {
    if (value.getClass().getClassLoader() == loader || value == loader) {
      return true;
    }
    if (value instanceof Iterable<?> items) {
      Iterator<?> it = items.iterator();
      for (int n = 0; it.hasNext() && n < 100; n++) {
        Object item = it.next();
        if (item != null && item.getClass().getClassLoader() == loader) {
          return true;
        }
      }
    }
    return false;
  }
}
