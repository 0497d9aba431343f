package dev.cas.runtime;

import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds real plugins for tests: Java sources compiled with the JDK's compiler against the plugin
 * API (and any extra jars), packed into a jar, laid out as a plugin folder, written as a package by
 * the real writer and read back by the real reader.
 */
public final class TestPlugins {

  private final Path workDir;
  private int counter;

  public TestPlugins(Path workDir) {
    this.workDir = workDir;
  }

  /** What to build. */
  public static final class Spec {
    final String id;
    String version = "1.0.0";
    String mainClass;
    final Map<String, String> sources = new LinkedHashMap<>();
    final List<String> permissions = new ArrayList<>();
    final Map<String, String> dependencies = new LinkedHashMap<>();
    final List<Path> libs = new ArrayList<>();
    String exportPackages;
    String status = "active";
    String configSchema;
    String sandbox;
    final List<String> tables = new ArrayList<>();
    final Map<String, String[]> migrations = new LinkedHashMap<>();

    Spec(String id) {
      this.id = id;
    }

    public Spec version(String v) {
      version = v;
      return this;
    }

    public Spec main(String className, String source) {
      mainClass = className;
      sources.put(className, source);
      return this;
    }

    /** Names a main class in the manifest without adding its source (for a missing main class). */
    public Spec mainClassName(String className) {
      mainClass = className;
      return this;
    }

    public Spec source(String className, String source) {
      sources.put(className, source);
      return this;
    }

    public Spec permissions(String... p) {
      permissions.addAll(List.of(p));
      return this;
    }

    public Spec dependsOn(String pluginId, String range) {
      dependencies.put(pluginId, range);
      return this;
    }

    public Spec lib(Path jar) {
      libs.add(jar);
      return this;
    }

    public Spec exports(String packages) {
      exportPackages = packages;
      return this;
    }

    public Spec status(String s) {
      status = s;
      return this;
    }

    public Spec configSchema(String json) {
      configSchema = json;
      return this;
    }

    /** The manifest's {@code sandbox} object, as JSON (used by cas-sandbox's tests). */
    public Spec sandbox(String json) {
      sandbox = json;
      return this;
    }

    /** Tables the plugin declares it owns. */
    public Spec tables(String... names) {
      tables.addAll(List.of(names));
      return this;
    }

    /** A migration and its rollback, listed in database.migrations in the order added. */
    public Spec migration(String file, String sql, String rollbackSql) {
      migrations.put(file, new String[] {sql, rollbackSql});
      return this;
    }
  }

  public static Spec plugin(String id) {
    return new Spec(id);
  }

  /** A plugin whose main class records its lifecycle calls in system properties. */
  public static Spec simple(String id) {
    String cls = "test." + id.replace('-', '_') + ".Main";
    return plugin(id)
        .main(
            cls,
            """
            package test.%s;
            public class Main implements dev.cas.plugin.api.Plugin {
              public void initialize(dev.cas.plugin.api.PluginContext c) {}
            }
            """
                .formatted(id.replace('-', '_')));
  }

  /** Builds, packages and reads the plugin; returns the package as the runtime gets it. */
  public PluginPackage build(Spec spec, Path... extraClasspath) {
    Path zip = buildZip(spec, extraClasspath);
    return PackageReader.create(ReadOptions.defaults())
        .read(zip, zip.getParent().resolve("installed"));
  }

  /** Builds the plugin and writes its package; returns the package file. */
  public Path buildZip(Spec spec, Path... extraClasspath) {
    Path dir = workDir.resolve("p" + (++counter) + "-" + spec.id);
    try {
      Path folder = dir.resolve("folder");
      Files.createDirectories(folder.resolve("backend/dist"));
      Files.write(
          folder.resolve("backend/dist/" + spec.id + ".jar"), compileJar(spec, extraClasspath));
      if (!spec.libs.isEmpty()) {
        Files.createDirectories(folder.resolve("backend/lib"));
        for (Path lib : spec.libs) {
          Files.copy(lib, folder.resolve("backend/lib/" + lib.getFileName()));
        }
      }
      Files.writeString(folder.resolve("plugin.json"), manifest(spec));
      for (Map.Entry<String, String[]> m : spec.migrations.entrySet()) {
        Path migrations = Files.createDirectories(folder.resolve("backend/migrations"));
        Files.writeString(migrations.resolve(m.getKey()), m.getValue()[0]);
        Files.writeString(
            migrations.resolve(m.getKey().replace(".sql", "_rollback.sql")), m.getValue()[1]);
      }
      Path zip = dir.resolve(spec.id + ".zip");
      PackageWriter.builder()
          .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
          .build()
          .write(folder, zip);
      return zip;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the zip that {@link #build} wrote for {@code pkg} again, into a new folder: a fresh
   * package of the same plugin without compiling it again.
   */
  PluginPackage reread(PluginPackage pkg) {
    Path dir = pkg.root().getParent();
    Path zip = dir.resolve(pkg.manifest().id() + ".zip");
    return PackageReader.create(ReadOptions.defaults())
        .read(zip, dir.resolve("installed-" + (++counter)));
  }

  private static String manifest(Spec spec) {
    StringBuilder deps = new StringBuilder("\"@cas/plugin-api\": \"^1.0.0\"");
    spec.dependencies.forEach(
        (k, v) -> deps.append(", \"").append(k).append("\": \"").append(v).append('"'));
    String perms = String.join(", ", spec.permissions.stream().map(p -> "\"" + p + "\"").toList());
    return """
        {
          "id": "%s", "name": "%s", "version": "%s", "description": "test plugin %s",
          "entry": "backend/dist/%s.jar", "main": "%s", "status": "%s",
          "permissions": [%s],
          "compatibility": { "casVersion": ">=1.0.0", "javaVersion": ">=21", "dependencies": { %s } },
          "database": { "tables": [%s], "migrations": [%s] }%s%s
        }
        """
        .formatted(
            spec.id,
            spec.id,
            spec.version,
            spec.id,
            spec.id,
            spec.mainClass,
            spec.status,
            perms,
            deps,
            quoted(spec.tables),
            quoted(List.copyOf(spec.migrations.keySet())),
            spec.configSchema == null ? "" : ", \"configSchema\": " + spec.configSchema,
            spec.sandbox == null ? "" : ", \"sandbox\": " + spec.sandbox);
  }

  private static String quoted(List<String> items) {
    return String.join(", ", items.stream().map(i -> "\"" + i + "\"").toList());
  }

  /** Compiles the spec's sources into jar bytes. */
  static byte[] compileJar(Spec spec, Path... extraClasspath) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard =
        compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
    Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
    var manager =
        new ForwardingJavaFileManager<>(standard) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(
                URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
              @Override
              public java.io.OutputStream openOutputStream() {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                classes.put(className.replace('.', '/') + ".class", out);
                return out;
              }
            };
          }
        };
    List<JavaFileObject> units = new ArrayList<>();
    spec.sources.forEach(
        (name, code) ->
            units.add(
                new SimpleJavaFileObject(
                    URI.create("string:///" + name.replace('.', '/') + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                  @Override
                  public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                  }
                }));
    StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
    for (Path p : extraClasspath) {
      cp.append(java.io.File.pathSeparator).append(p);
    }
    for (Path p : spec.libs) {
      cp.append(java.io.File.pathSeparator).append(p);
    }
    boolean ok =
        compiler
            .getTask(
                null,
                manager,
                diagnostics,
                List.of("--release", "21", "-classpath", cp.toString(), "-proc:none"),
                null,
                units)
            .call();
    if (!ok) {
      StringBuilder msg = new StringBuilder("test plugin [" + spec.id + "] does not compile:");
      for (Diagnostic<?> d : diagnostics.getDiagnostics()) {
        msg.append('\n').append(d);
      }
      throw new IllegalStateException(msg.toString());
    }
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (spec.exportPackages != null) {
      mf.getMainAttributes().putValue(PluginLoader.EXPORT_ATTRIBUTE, spec.exportPackages);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, mf)) {
      for (Map.Entry<String, ByteArrayOutputStream> e : classes.entrySet()) {
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue().toByteArray());
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
