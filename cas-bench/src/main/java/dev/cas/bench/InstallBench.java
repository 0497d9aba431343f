package dev.cas.bench;

import dev.cas.packaging.PackageReader;
import dev.cas.packaging.ReadOptions;
import dev.cas.runtime.TestPlugins;
import dev.cas.testkit.TestHost;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Installing a 5 MB and a 50 MB package on a real host over HTTP, on the embedded and on the
 * external PostgreSQL (127.0.0.1:5432, a database created and dropped for the run). The package is
 * a plugin with one route, one migration and a library jar of random (incompressible) bytes. The
 * phases measurable from outside the host: the whole import (upload, read, verify, migrate,
 * activate), reading the same zip with {@link PackageReader} (extract and verify checksums), and
 * SHA-256 of the same bytes in Java and with {@code sha256sum}.
 */
final class InstallBench {

  static final String EXTERNAL_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
  private static final int MIB = 1024 * 1024;

  private final Path work;
  private final int runs;
  private final int[] sizesMib;

  InstallBench(Path work, int runs, int... sizesMib) {
    this.work = work;
    this.runs = runs;
    this.sizesMib = sizesMib.length == 0 ? new int[] {5, 50} : sizesMib;
  }

  /** Results and their table. */
  record Result(String markdown, double medianMs5mbEmbedded) {}

  Result run() throws Exception {
    TestPlugins builder = new TestPlugins(Files.createDirectories(work.resolve("plugins")));
    StringBuilder t = new StringBuilder("### Install a package over HTTP\n\n");
    t.append(
        Stats.fmt(
            "%d installs per row (after one warm-up install), each of a new plugin id: POST"
                + " /api/plugins/import with the zip, timed by the client until the 201. Read ="
                + " PackageReader.read of the same zip in the bench JVM (extract + verify every"
                + " checksum). Hashing: SHA-256 of the zip's bytes in Java (MessageDigest, in"
                + " memory) and by `sha256sum` (whole process, file in page cache).%n%n",
            runs));
    t.append(
        "| package | database | import ms median (min–max) | read ms median (min–max) |"
            + " rest ms (import − read) | Java SHA-256 MB/s | sha256sum MB/s |\n");
    t.append("|---|---|---|---|---|---|---|\n");
    double fiveEmbedded = Double.NaN;
    for (int mib : sizesMib) {
      Path blob = blobJar(mib);
      List<Path> zips = new ArrayList<>();
      for (int i = 0; i < 2 * (runs + 1); i++) {
        zips.add(builder.buildZip(spec("inst-" + mib + "-" + i).lib(blob)));
      }
      List<Double> read = readTimes(zips.get(0));
      double javaMbs = javaSha(zips.get(0));
      double toolMbs = sha256sum(zips.get(0));
      double zipMb = Files.size(zips.get(0)) / 1e6;
      for (String db : databases()) {
        List<Path> mine =
            db.equals("embedded") ? zips.subList(0, runs + 1) : zips.subList(runs + 1, zips.size());
        List<Double> total = imports(db, mine);
        double rest = Stats.median(total) - Stats.median(read);
        t.append(
            Stats.fmt(
                "| %.1f MB | %s | %s | %s | %.0f | %.0f | %.0f |%n",
                zipMb, db, Stats.spread(total, 0), Stats.spread(read, 0), rest, javaMbs, toolMbs));
        if (mib == 5 && db.equals("embedded")) {
          fiveEmbedded = Stats.median(total);
        }
      }
      System.err.printf("install %d MiB done%n", mib);
    }
    return new Result(t.toString(), fiveEmbedded);
  }

  /** The embedded PostgreSQL, and the external one when it answers. */
  private static List<String> databases() {
    try (Connection c = DriverManager.getConnection(EXTERNAL_ADMIN)) {
      return List.of("embedded", "external");
    } catch (SQLException e) {
      System.err.println("external PostgreSQL not reachable, skipped: " + e.getMessage());
      return List.of("embedded");
    }
  }

  static TestPlugins.Spec spec(String id) {
    // Tables belong to one plugin: each plugin id gets its own.
    String table = id.replace('-', '_');
    return TestPlugins.plugin(id)
        .main("bench.i.Main", CasContender.SOURCE.replace("bench.p", "bench.i"))
        .permissions("database.read", "database.write", "http.routes")
        .tables(table)
        .migration(
            "001_items.sql",
            "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v TEXT);",
            "DROP TABLE " + table + ";");
  }

  /** Installs each zip on a fresh host; the first is a warm-up. */
  private List<Double> imports(String db, List<Path> zips) throws Exception {
    String name = "bench_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
    String url = db.equals("embedded") ? TestHost.freshEmbeddedDatabase() : createExternal(name);
    List<Double> times = new ArrayList<>();
    try (TestHost host =
        TestHost.start(Files.createDirectories(work.resolve("host-" + name)), url, Map.of())) {
      for (int i = 0; i < zips.size(); i++) {
        byte[] bytes = Files.readAllBytes(zips.get(i));
        long t0 = System.nanoTime();
        TestHost.Response r =
            host.send("POST", "/api/plugins/import", host.adminToken(), "application/zip", bytes);
        long t1 = System.nanoTime();
        if (r.status() != 201) {
          throw new IllegalStateException("import refused: " + r.status() + " " + r.text());
        }
        if (i > 0) {
          times.add((t1 - t0) / 1e6);
        }
      }
    } finally {
      if (db.equals("external")) {
        exec(EXTERNAL_ADMIN, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
    return times;
  }

  static String createExternal(String name) throws SQLException {
    exec(EXTERNAL_ADMIN, "CREATE DATABASE " + name);
    return "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres";
  }

  private static void exec(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        var st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private List<Double> readTimes(Path zip) throws IOException {
    PackageReader reader = PackageReader.create(ReadOptions.defaults());
    List<Double> times = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      Path target = work.resolve("read-" + zip.getFileName() + "-" + i);
      long t0 = System.nanoTime();
      reader.read(zip, target);
      long t1 = System.nanoTime();
      LoadStartBench.delete(target);
      if (i > 0) {
        times.add((t1 - t0) / 1e6);
      }
    }
    return times;
  }

  private static double javaSha(Path zip) throws Exception {
    byte[] bytes = Files.readAllBytes(zip);
    List<Double> mbs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      MessageDigest.getInstance("SHA-256").digest(bytes);
      mbs.add(bytes.length / 1e6 / ((System.nanoTime() - t0) / 1e9));
    }
    return Stats.median(mbs);
  }

  private static double sha256sum(Path zip) throws Exception {
    List<Double> mbs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder("sha256sum", zip.toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("sha256sum failed on [" + zip + "]");
      }
      mbs.add(Files.size(zip) / 1e6 / ((System.nanoTime() - t0) / 1e9));
    }
    return Stats.median(mbs);
  }

  /** A jar holding one entry of {@code mib} MiB of random bytes. */
  private Path blobJar(int mib) throws IOException {
    Path jar = Files.createDirectories(work).resolve("blob-" + mib + ".jar");
    byte[] chunk = new byte[MIB];
    Random random = new Random(mib);
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("blob.bin"));
      for (int i = 0; i < mib; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
      out.closeEntry();
    }
    return jar;
  }
}
