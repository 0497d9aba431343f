package dev.cas.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.pf4j.JarPluginManager;
import org.pf4j.PluginManager;

/**
 * PF4J: N plugin jars (manifest {@code Plugin-Id}, {@code Plugin-Version}, {@code Plugin-Class}) in
 * a plugins folder, loaded and started by a {@link JarPluginManager}.
 */
final class Pf4jContender implements Contender {

  private static final String SOURCE =
      """
      package bench.pf;
      public class Main extends org.pf4j.Plugin {
        private Runnable handler;
        @Override public void start() { handler = () -> {}; }
        @Override public void stop() { handler = null; }
      }
      """;

  @Override
  public String name() {
    return "pf4j";
  }

  @Override
  public String label() {
    return "PF4J " + JarPluginManager.class.getPackage().getImplementationVersion();
  }

  @Override
  public void prepare(Path dir, int n) throws Exception {
    Files.createDirectories(dir);
    Map<String, byte[]> classes = Javac.compile("bench.pf.Main", SOURCE);
    for (int i = 0; i < n; i++) {
      Javac.writeJar(
          dir.resolve(jarName(i)),
          Map.of(
              "Plugin-Id",
              "bench-" + i,
              "Plugin-Version",
              "1.0.0",
              "Plugin-Class",
              "bench.pf.Main"),
          classes);
    }
  }

  private static String jarName(int i) {
    return "bench-" + i + ".jar";
  }

  @Override
  public Running start(Path dir, int n, Path scratch) throws Exception {
    // PF4J loads every jar in its folder: give it a folder with exactly the first n.
    for (int i = 0; i < n; i++) {
      Files.createLink(scratch.resolve(jarName(i)), dir.resolve(jarName(i)));
    }
    PluginManager manager = new JarPluginManager(scratch);
    manager.loadPlugins();
    manager.startPlugins();
    int started = manager.getStartedPlugins().size();
    return new Running() {
      @Override
      public int started() {
        return started;
      }

      @Override
      public void close() {
        // PF4J 3.15's stopPlugins() throws ConcurrentModificationException: stop one by one.
        for (String id : manager.getStartedPlugins().stream().map(p -> p.getPluginId()).toList()) {
          manager.stopPlugin(id);
        }
        manager.unloadPlugins();
      }
    };
  }
}
