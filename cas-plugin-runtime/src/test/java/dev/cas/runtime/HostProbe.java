package dev.cas.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.cas.plugin.api.HttpRoutes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a test sees of the host from outside: it calls plugin routes the way the server would, lists
 * live threads (virtual ones too) and reads metaspace.
 */
final class HostProbe {

  private static final Pattern THREAD_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

  private HostProbe() {}

  /** Calls a published route on the current thread and returns the body as text. */
  static String get(PluginRuntime runtime, String id, String path) throws Exception {
    return new String(handle(runtime, id, "GET", path).body(), StandardCharsets.UTF_8);
  }

  /** Calls a published route on the current thread; the handler's exception comes out as is. */
  static HttpRoutes.Response handle(PluginRuntime runtime, String id, String method, String path)
      throws Exception {
    RouteTable.Match m =
        runtime
            .routes()
            .match(id, method, path)
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no route " + method + " " + path + " of plugin [" + id + "]"));
    return m.handler().handle(request(method, path, m.pathParams()));
  }

  static HttpRoutes.Request request(String method, String path, Map<String, String> params) {
    return new HttpRoutes.Request(
        method, path, params, Map.of(), Map.of(), new byte[0], Optional.empty());
  }

  /**
   * Names of all live threads, virtual ones included (from the JVM's JSON thread dump, which lists
   * the threads of every thread container).
   */
  static List<String> liveThreadNames() {
    try {
      Path dir = Files.createTempDirectory("threads");
      Path dump = dir.resolve("dump.json");
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      String json = Files.readString(dump);
      Files.delete(dump);
      Files.delete(dir);
      Matcher m = THREAD_NAME.matcher(json);
      List<String> names = new ArrayList<>();
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Live threads whose name starts with {@code plugin-<id>-}. */
  static List<String> pluginThreads(String id) {
    return liveThreadNames().stream().filter(n -> n.startsWith("plugin-" + id + "-")).toList();
  }

  /** Metaspace in use, in bytes, after a full collection (which unloads unreachable classes). */
  static long metaspaceUsedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getName().equals("Metaspace"))
        .map(MemoryPoolMXBean::getUsage)
        .findFirst()
        .orElseThrow()
        .getUsed();
  }

  static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("within 5 s: " + what);
      }
      Thread.sleep(10);
    }
  }
}
