package dev.cas.bench;

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

/**
 * Our runtime: N packages written by the real writer; loading reads (extracts and verifies) each
 * package with the real reader and installs and activates them all.
 */
final class CasContender implements Contender {

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
    return "cas";
  }

  @Override
  public String label() {
    return "CAS";
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
    }
  }

  static Path zip(Path dir, int i) {
    return dir.resolve("bench-" + i + ".zip");
  }

  @Override
  public Running start(Path dir, int n, Path scratch) {
    PluginRuntime runtime = PluginRuntime.create(RuntimeOptions.defaults());
    PackageReader reader = PackageReader.create(ReadOptions.defaults());
    long t0 = System.nanoTime();
    List<PluginPackage> packages = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      packages.add(reader.read(zip(dir, i), scratch.resolve(Integer.toString(i))));
    }
    double readMs = (System.nanoTime() - t0) / 1e6;
    runtime.installAll(packages);
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
