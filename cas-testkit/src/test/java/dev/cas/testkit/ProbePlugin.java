package dev.cas.testkit;

import dev.cas.packaging.PackageWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A small real plugin for the extension's own tests, compiled and packaged here: {@code GET /hello}
 * answers with the configured greeting and the caller's name, {@code POST /notes} stores a row in
 * its table, {@code GET /notes} counts them.
 */
final class ProbePlugin {

  static final String ID = "kit-probe";

  private static final String SOURCE =
      """
      package probe;

      import dev.cas.plugin.api.*;

      public final class ProbePlugin implements Plugin {
        @Override
        public void initialize(PluginContext context) {
          Database db = context.service(Database.class);
          context.routes().register("GET", "/hello", r -> HttpRoutes.Response.json(200,
              "{\\"greeting\\": \\"" + context.config().getString("greeting").orElse("?")
                  + "\\", \\"user\\": \\"" + r.user().map(UserInfo::username).orElse("") + "\\"}"));
          context.routes().register("POST", "/notes", r -> {
            db.update("INSERT INTO probe_notes (body) VALUES (?)", r.bodyText());
            return HttpRoutes.Response.json(201, "{}");
          });
          context.routes().register("GET", "/notes", r -> HttpRoutes.Response.json(200,
              "{\\"count\\": " + db.query("SELECT count(*) AS n FROM probe_notes").get(0).get("n")
                  + "}"));
        }
      }
      """;

  private static final String MANIFEST =
      """
      {
        "id": "kit-probe",
        "name": "Test kit probe",
        "version": "%s",
        "description": "A plugin the test kit's own tests install.",
        "author": "CAS team",
        "license": "Apache-2.0",
        "entry": "backend/dist/kit-probe.jar",
        "main": "probe.ProbePlugin",
        "permissions": ["database.read", "database.write", "http.routes"],
        "compatibility": { "casVersion": ">=1.0.0", "javaVersion": ">=21" },
        "endpoints": { "hello": "/hello", "notes": "/notes" },
        "database": { "tables": ["probe_notes"], "migrations": ["001_create_probe_notes.sql"] },
        "configSchema": {
          "greeting": { "type": "string", "default": "%s", "description": "What /hello says" }
        }
      }
      """;

  private ProbePlugin() {}

  /** Builds version 1.0.0 into {@code dir} and returns its path. */
  static Path build(Path dir) {
    return build(dir, "1.0.0", "Hello");
  }

  /** Builds the package of a version whose greeting defaults to {@code greeting}. */
  static Path build(Path dir, String version, String greeting) {
    try {
      Path src = dir.resolve("src/probe/ProbePlugin.java");
      Files.createDirectories(src.getParent());
      Files.writeString(src, SOURCE);
      Path classes = dir.resolve("classes");
      Files.createDirectories(classes);
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int rc =
          javac.run(
              null,
              null,
              null,
              "--release",
              "21",
              "-cp",
              System.getProperty("java.class.path"),
              "-d",
              classes.toString(),
              src.toString());
      if (rc != 0) {
        throw new IllegalStateException("javac failed: " + rc);
      }
      Path folder = dir.resolve("plugin");
      Files.createDirectories(folder.resolve("backend/dist"));
      Files.createDirectories(folder.resolve("backend/migrations"));
      Files.writeString(folder.resolve("plugin.json"), MANIFEST.formatted(version, greeting));
      Files.writeString(
          folder.resolve("backend/migrations/001_create_probe_notes.sql"),
          "CREATE TABLE probe_notes (id serial PRIMARY KEY, body text NOT NULL);\n");
      Files.writeString(
          folder.resolve("backend/migrations/001_create_probe_notes_rollback.sql"),
          "DROP TABLE IF EXISTS probe_notes;\n");
      try (OutputStream out = Files.newOutputStream(folder.resolve("backend/dist/kit-probe.jar"));
          JarOutputStream jar = new JarOutputStream(out)) {
        for (String name : List.of("probe/ProbePlugin.class")) {
          jar.putNextEntry(new JarEntry(name));
          jar.write(Files.readAllBytes(classes.resolve(name)));
          jar.closeEntry();
        }
      }
      Path zip = dir.resolve("kit-probe-v" + version + ".zip");
      PackageWriter.builder()
          .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
          .strict(true)
          .build()
          .write(folder, zip);
      return zip;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
