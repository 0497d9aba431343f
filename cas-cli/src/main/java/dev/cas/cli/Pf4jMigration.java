package dev.cas.cli;

import dev.cas.packaging.PackageWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a PF4J plugin jar into a CAS package. The plugin's jar becomes {@code
 * backend/dist/<id>.jar} with the classes of {@code dev.cas.pf4j} added (the main class that drives
 * the PF4J plugin, the SLF4J provider); PF4J and what it needs at run time go to {@code
 * backend/lib}. What does not carry over is reported, not silently dropped.
 */
final class Pf4jMigration {

  static final String MAIN = "dev.cas.pf4j.Pf4jPluginAdapter";

  /** Classes whose jars the migrated plugin needs at run time: PF4J and its dependencies. */
  private static final List<String> RUNTIME_JARS_OF =
      List.of(
          "org/pf4j/Plugin.class",
          "com/github/zafarkhaja/semver/Version.class",
          "org/slf4j/LoggerFactory.class");

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** What the migration made and what it could not carry over. */
  record Report(
      PackageWriter.Result result,
      Pf4jMetadata legacy,
      String idSource,
      Pf4jJarScan.Constructor constructor,
      List<String> bundled,
      Map<String, String> dependencies,
      List<Pf4jJarScan.Extension> extensions,
      List<String> extensionPoints,
      List<String> notCarriedOver,
      List<String> warnings) {}

  private final Optional<String> id;
  private final Optional<PrivateKey> key;
  private final Instant createdAt;

  Pf4jMigration(Optional<String> id, Optional<PrivateKey> key, Instant createdAt) {
    this.id = id;
    this.key = key;
    this.createdAt = createdAt;
  }

  /**
   * Migrates {@code jar} into a package at {@code out}, or at {@code <id>-v<version>.zip} in {@code
   * outDir} when {@code out} is empty.
   */
  Report migrate(Path jar, Optional<Path> out, Path outDir) {
    Path work = CliFiles.tempFolder("cas-migrate-");
    try {
      return migrate(jar, out, outDir, work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      CliFiles.deleteTree(work);
    }
  }

  private Report migrate(Path jar, Optional<Path> out, Path outDir, Path work) throws IOException {
    List<String> notCarried = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, byte[]> entries = readJar(jar);
    Pf4jMetadata legacy =
        Pf4jMetadata.read(
            jar.getFileName().toString(),
            Optional.ofNullable(entries.get(Pf4jMetadata.PROPERTIES)),
            manifestOf(entries));
    Pf4jJarScan scan = new Pf4jJarScan();
    entries.forEach(
        (name, bytes) -> {
          if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
            scan.addClass(bytes);
          } else if (name.equals(Pf4jJarScan.EXTENSIONS_INDEX)) {
            scan.addExtensionsIndex(bytes);
          }
        });
    Pf4jJarScan.Constructor constructor = scan.pluginConstructor(legacy.pluginClass());
    if (constructor == Pf4jJarScan.Constructor.PLUGIN_WRAPPER) {
      warnings.add(
          "["
              + legacy.pluginClass()
              + "] has only the deprecated Plugin(PluginWrapper) constructor: it gets a wrapper"
              + " with its descriptor and a PluginManager that answers only getRuntimeMode"
              + " (every other method throws UnsupportedOperationException)");
    }
    String pluginId = pluginId(legacy, warnings);
    String version = version(legacy, warnings);

    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("id", pluginId);
    manifest.put("name", cut(legacy.id(), 100));
    manifest.put("version", version);
    manifest.put(
        "description",
        cut(
            legacy
                .get("plugin.description")
                .orElse("PF4J plugin " + legacy.id() + ", migrated by cas migrate-legacy"),
            500));
    legacy.get("plugin.provider").ifPresent(p -> manifest.put("author", p));
    legacy
        .get("plugin.license")
        .ifPresent(
            l -> {
              if (Pf4jMapping.isSpdx(l)) {
                manifest.put("license", l);
              } else {
                notCarried.add(
                    "license ["
                        + l
                        + "]: not an SPDX expression (e.g. Apache-2.0); set license in"
                        + " plugin.json");
              }
            });
    manifest.put("entry", "backend/dist/" + pluginId + ".jar");
    manifest.put("main", MAIN);
    manifest.put("status", "active");
    manifest.put("permissions", List.of());
    warnings.add(
        "permissions: PF4J has none, so the package declares none; the host refuses the plugin"
            + " files, network, threads and its services until plugin.json lists what it needs");
    Map<String, String> dependencies =
        Pf4jMapping.compatibilityDependencies(
            Pf4jMapping.dependencies(legacy.get("plugin.dependencies").orElse("")),
            notCarried::add);
    manifest.put("compatibility", compatibility(legacy, scan, dependencies, notCarried, warnings));

    for (Pf4jJarScan.Extension e : scan.extensions()) {
      notCarried.add(
          "extension ["
              + e.className()
              + "]"
              + (e.points().isEmpty() ? "" : " of " + e.points())
              + ": CAS has no extension points; nothing creates it (register its work through"
              + " the plugin API: routes, events, exported services)");
    }
    for (String point : scan.extensionPoints()) {
      notCarried.add(
          "extension point ["
              + point
              + "]: other plugins cannot extend it in CAS; export a service"
              + " (PluginContext.exportService) instead");
    }
    for (String missing : scan.missingIndexed()) {
      notCarried.add(
          "extension ["
              + missing
              + "] is listed in "
              + Pf4jJarScan.EXTENSIONS_INDEX
              + " but not in the jar");
    }

    Path dir = Files.createDirectories(work.resolve("plugin"));
    Files.write(dir.resolve("plugin.json"), JSON.writeValueAsBytes(manifest));
    Path dist = Files.createDirectories(dir.resolve("backend/dist"));
    Files.write(
        dist.resolve(pluginId + ".jar"),
        Pf4jPluginJar.build(entries, legacy, createdAt, notCarried, warnings));
    Path lib = Files.createDirectories(dir.resolve("backend/lib"));
    List<String> bundled = new ArrayList<>();
    for (Path runtimeJar : runtimeJars()) {
      Files.copy(runtimeJar, lib.resolve(runtimeJar.getFileName()));
      bundled.add(runtimeJar.getFileName().toString());
    }

    PackageWriter.Builder writer = PackageWriter.builder().createdAt(createdAt);
    key.ifPresent(writer::signWith);
    Path target = out.orElse(outDir.resolve(pluginId + "-v" + version + ".zip"));
    PackageWriter.Result result = writer.build().write(dir, target);
    warnings.addAll(result.warnings());
    return new Report(
        result,
        legacy,
        id.isPresent() ? "--id" : legacy.name("plugin.id"),
        constructor,
        bundled,
        dependencies,
        scan.extensions(),
        scan.extensionPoints(),
        notCarried,
        warnings);
  }

  private String pluginId(Pf4jMetadata legacy, List<String> warnings) {
    if (id.isPresent()) {
      if (!Pf4jMapping.isId(id.get())) {
        throw new UsageException(
            "--id ["
                + id.get()
                + "] is not a plugin id (lowercase letters and digits, single dots or hyphens"
                + " between, 3 to 64 characters)");
      }
      return id.get();
    }
    String normalised =
        Pf4jMapping.normalisedId(legacy.id())
            .orElseThrow(
                () ->
                    new MigrationException(
                        "PF4J plugin id ["
                            + legacy.id()
                            + "] cannot be made a plugin id (lowercase letters and digits,"
                            + " single dots or hyphens between, 3 to 64 characters); give one"
                            + " with --id"));
    if (!normalised.equals(legacy.id())) {
      warnings.add("PF4J plugin id [" + legacy.id() + "] became [" + normalised + "]");
    }
    return normalised;
  }

  private static String version(Pf4jMetadata legacy, List<String> warnings) {
    String v =
        legacy
            .get("plugin.version")
            .orElseThrow(
                () ->
                    new MigrationException(
                        "PF4J descriptor ["
                            + legacy.source()
                            + "] has no ["
                            + legacy.name("plugin.version")
                            + "]"));
    String semver =
        Pf4jMapping.version(v)
            .orElseThrow(
                () ->
                    new MigrationException(
                        "PF4J plugin version [" + v + "] is not a semantic version such as 1.2.0"));
    if (!semver.equals(v)) {
      warnings.add("PF4J plugin version [" + v + "] became [" + semver + "]");
    }
    return semver;
  }

  private static Map<String, Object> compatibility(
      Pf4jMetadata legacy,
      Pf4jJarScan scan,
      Map<String, String> dependencies,
      List<String> notCarried,
      List<String> warnings) {
    Map<String, Object> compatibility = new LinkedHashMap<>();
    Optional<String> requires = legacy.get("plugin.requires").filter(r -> !r.equals("*"));
    if (requires.isPresent()) {
      Optional<String> range = Pf4jMapping.range(requires.get());
      if (range.isPresent()) {
        compatibility.put("casVersion", range.get());
        warnings.add(
            legacy.name("plugin.requires")
                + " ["
                + requires.get()
                + "] named a version of the application the plugin ran in; it is carried over"
                + " as compatibility.casVersion ["
                + range.get()
                + "]: check it against CAS versions");
      } else {
        notCarried.add(
            legacy.name("plugin.requires")
                + " ["
                + requires.get()
                + "]: not a version range CAS reads");
      }
    }
    compatibility.put("javaVersion", ">=" + scan.javaFeature());
    compatibility.put("dependencies", dependencies);
    return compatibility;
  }

  private static Map<String, byte[]> readJar(Path jar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (!e.isDirectory()) {
          try (InputStream in = zip.getInputStream(e)) {
            entries.put(e.getName(), in.readAllBytes());
          }
        }
      }
    } catch (ZipException e) {
      throw new MigrationException("[" + jar + "] is not a jar: " + e.getMessage());
    }
    return entries;
  }

  private static Optional<Manifest> manifestOf(Map<String, byte[]> entries) throws IOException {
    byte[] mf = entries.get(Pf4jMetadata.MANIFEST);
    return mf == null
        ? Optional.empty()
        : Optional.of(new Manifest(new java.io.ByteArrayInputStream(mf)));
  }

  /** The jars of PF4J, java-semver and SLF4J's API on this command's own class path. */
  private static List<Path> runtimeJars() {
    List<Path> jars = new ArrayList<>();
    for (String cls : RUNTIME_JARS_OF) {
      java.net.URL url = Pf4jMigration.class.getClassLoader().getResource(cls);
      if (url == null || !url.getProtocol().equals("jar")) {
        throw new IllegalStateException(
            "this cas has no jar holding [" + cls + "] on its class path; its build is broken");
      }
      String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
      try {
        jars.add(Path.of(new java.net.URI(file)));
      } catch (URISyntaxException e) {
        throw new IllegalStateException("cannot locate [" + file + "]: " + e.getMessage(), e);
      }
    }
    return jars;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
