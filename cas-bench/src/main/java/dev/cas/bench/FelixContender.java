package dev.cas.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Apache Felix: N OSGi bundles whose activator registers one service, installed from their jar
 * files (Felix copies each into its bundle cache, as we extract each package) and started in an
 * embedded framework with a fresh cache.
 */
final class FelixContender implements Contender {

  private static final String SOURCE =
      """
      package bench.fx;
      import org.osgi.framework.*;
      public class Activator implements BundleActivator {
        public void start(BundleContext c) { c.registerService(Runnable.class, () -> {}, null); }
        public void stop(BundleContext c) {}
      }
      """;

  @Override
  public String name() {
    return "felix";
  }

  @Override
  public String label() {
    return "Felix " + new Felix(Map.of()).getVersion();
  }

  @Override
  public void prepare(Path dir, int n) throws Exception {
    Files.createDirectories(dir);
    Map<String, byte[]> classes = Javac.compile("bench.fx.Activator", SOURCE);
    for (int i = 0; i < n; i++) {
      Javac.writeJar(
          jar(dir, i),
          Map.of(
              "Bundle-ManifestVersion", "2",
              "Bundle-SymbolicName", "bench.b" + i,
              "Bundle-Version", "1.0.0",
              "Bundle-Activator", "bench.fx.Activator",
              "Import-Package", "org.osgi.framework"),
          classes);
    }
  }

  private static Path jar(Path dir, int i) {
    return dir.resolve("bundle-" + i + ".jar");
  }

  @Override
  public Running start(Path dir, int n, Path scratch) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(Constants.FRAMEWORK_STORAGE, scratch.toString());
    config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    Felix felix = new Felix(config);
    felix.start();
    BundleContext ctx = felix.getBundleContext();
    List<Bundle> bundles = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      bundles.add(ctx.installBundle(jar(dir, i).toUri().toString()));
    }
    for (Bundle b : bundles) {
      b.start();
    }
    int active = (int) bundles.stream().filter(b -> b.getState() == Bundle.ACTIVE).count();
    return new Running() {
      @Override
      public int started() {
        return active;
      }

      @Override
      public void close() throws Exception {
        felix.stop();
        felix.waitForStop(30_000);
      }
    };
  }
}
