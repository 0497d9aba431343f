package dev.cas.bench;

import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.SecurityScanner;
import dev.cas.runtime.TestPlugins;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Time of the static security scan ({@link SecurityScanner#scan}, layer 0, run at every install)
 * per MB of bytecode: a plugin whose {@code backend/lib} holds real library jars — by default the
 * bench's own class path (Helidon, Jackson, Flyway, pgjdbc, Felix, PF4J, JMH, …), the kind of
 * libraries plugins bundle — is read once, then scanned several times in this JVM.
 */
final class ScanBench {

  private final Path work;
  private final int runs;
  private final List<Path> jars;

  ScanBench(Path work, int runs, List<Path> jars) {
    this.work = work;
    this.runs = runs;
    this.jars = jars;
  }

  /** The library jars on this JVM's class path that hold classes (CAS's own left out). */
  static List<Path> classPathJars() throws IOException {
    Map<String, Path> byName = new LinkedHashMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      if (name.endsWith(".jar") && !name.startsWith("cas-") && Files.isRegularFile(p)) {
        if (classBytes(p) > 0) {
          byName.putIfAbsent(name, p);
        }
      }
    }
    return List.copyOf(byName.values());
  }

  /** Results and their table. */
  record Result(String markdown, double mbPerSecond) {}

  Result run() throws Exception {
    TestPlugins.Spec spec = TestPlugins.simple("scan-bench");
    long classBytes = 0;
    long jarBytes = 0;
    for (Path jar : jars) {
      spec.lib(jar);
      classBytes += classBytes(jar);
      jarBytes += Files.size(jar);
    }
    PluginPackage pkg = new TestPlugins(Files.createDirectories(work.resolve("scan"))).build(spec);
    int findings = SecurityScanner.scan(pkg).findings().size(); // warm-up
    List<Double> ms = new ArrayList<>();
    List<Double> mbs = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      SecurityScanner.scan(pkg);
      double s = (System.nanoTime() - t0) / 1e9;
      ms.add(s * 1000);
      mbs.add(classBytes / 1e6 / s);
    }
    System.err.println("scan done");
    StringBuilder t = new StringBuilder("### Static security scan\n\n");
    t.append(
        Stats.fmt(
            "`SecurityScanner.scan` of one plugin whose `backend/lib` holds %d library jars (the"
                + " bench's class path, CAS's own jars left out), already read and extracted;"
                + " %d timed scans in one JVM after a warm-up scan. MB of bytecode = uncompressed"
                + " `.class` entries (the scanner skips `META-INF/versions/`).%n%n",
            jars.size(), runs));
    t.append(
        "| jars | jar MB | bytecode MB | findings | scan ms median (min–max) |"
            + " MB of bytecode/s median (min–max) |\n|---|---|---|---|---|---|\n");
    t.append(
        Stats.fmt(
            "| %d | %.1f | %.1f | %d | %s | %s |%n",
            jars.size(),
            jarBytes / 1e6,
            classBytes / 1e6,
            findings,
            Stats.spread(ms, 0),
            Stats.spread(mbs, 1)));
    return new Result(t.toString(), Stats.median(mbs));
  }

  /** Uncompressed size of the classes the scanner reads in {@code jar}. */
  static long classBytes(Path jar) throws IOException {
    long sum = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/versions/")) {
          sum += Math.max(0, e.getSize());
        }
      }
    }
    return sum;
  }
}
