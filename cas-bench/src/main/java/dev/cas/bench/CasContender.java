package dev.cas.bench;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.RuntimeOptions;
import dev.cas.runtime.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Our runtime: N packages written by the real writer. As the host starts now, each package was
 * extracted and verified once, at install ({@link #prepare}); loading opens each installed folder
 * again (every file hashed against the pinned checksum list, in parallel) and starts them all along
 * the dependency graph. With {@code extractAtStart} (the host before verify-once), loading reads
 * (extracts and verifies) each package with the real reader first.
 */
final class CasContender implements Contender {

  private final boolean extractAtStart;

  CasContender(boolean extractAtStart) {
    this.extractAtStart = extractAtStart;
  }

  /** The trivial plugin: one route. */
  static final String SOURCE =
      """
      package bench.p;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/ping", r -> HttpRoutes.Response.text(200, "pong"));
        }
      }
      """;

  @Override
  public String name() {
    return extractAtStart ? "cas-extract" : "cas";
  }

  @Override
  public String label() {
    return extractAtStart ? "CAS, extracting at start (before)" : "CAS";
  }

  @Override
  public void prepare(Path dir, int n) throws Exception {
    Files.createDirectories(dir);
    PluginPackage template =
        new TestPlugins(Files.createDirectories(dir.resolve("template")))
            .build(
                TestPlugins.plugin("bench-tpl")
                    .main("bench.p.Main", SOURCE)
                    .permissions("http.routes"));
    byte[] jar = Files.readAllBytes(template.root().resolve("backend/dist/bench-tpl.jar"));
    String manifest = Files.readString(template.root().resolve("plugin.json"));
    PackageWriter writer =
        PackageWriter.builder().createdAt(Instant.parse("2026-01-01T00:00:00Z")).build();
    for (int i = 0; i < n; i++) {
      String id = "bench-" + i;
      Path folder = dir.resolve("src/" + id);
      Files.createDirectories(folder.resolve("backend/dist"));
      Files.write(folder.resolve("backend/dist/" + id + ".jar"), jar);
      Files.writeString(folder.resolve("plugin.json"), manifest.replace("bench-tpl", id));
      writer.write(folder, zip(dir, i));
      // Install: extract and verify once, and pin the checksum list (the host keeps the pin in
      // its registry).
      PluginPackage installed =
          PackageReader.create(ReadOptions.defaults()).read(zip(dir, i), installed(dir, i));
      Files.writeString(
          pin(dir, i), ChecksumFile.sha256(Files.readAllBytes(installed.file("checksum.sha256"))));
    }
  }

  private static Path installed(Path dir, int i) {
    return dir.resolve("installed/" + i);
  }

  private static Path pin(Path dir, int i) {
    return dir.resolve("installed/" + i + ".pin");
  }

  static Path zip(Path dir, int i) {
    return dir.resolve("bench-" + i + ".zip");
  }

  @Override
  public Running start(Path dir, int n, Path scratch) throws Exception {
    PluginRuntime runtime = PluginRuntime.create(RuntimeOptions.defaults());
    PackageReader reader = PackageReader.create(ReadOptions.defaults());
    long t0 = System.nanoTime();
    List<PluginPackage> packages = new ArrayList<>(n);
    if (extractAtStart) {
      for (int i = 0; i < n; i++) {
        packages.add(reader.read(zip(dir, i), scratch.resolve(Integer.toString(i))));
      }
    } else {
      int threads = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors()));
      try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
        List<Future<PluginPackage>> opening = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          int k = i;
          opening.add(
              pool.submit(
                  () ->
                      reader.open(
                          installed(dir, k), Files.readString(pin(dir, k)), Optional.empty())));
        }
        for (Future<PluginPackage> f : opening) {
          packages.add(f.get());
        }
      }
    }
    double readMs = (System.nanoTime() - t0) / 1e6;
    runtime.startAll(packages);
    int active =
        (int) runtime.list().stream().filter(p -> p.state().name().equals("ACTIVE")).count();
    return new Running() {
      @Override
      public int started() {
        return active;
      }

      @Override
      public double readMs() {
        return readMs;
      }

      @Override
      public void close() {
        runtime.close();
      }
    };
  }
}
