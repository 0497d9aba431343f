package dev.cas.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Builds real plugin folders on disk for tests: a manifest, a jar, migrations, docs and data. */
final class PluginFolders {

  static final String MANIFEST =
      """
      {
        "id": "text-block",
        "name": "Text block",
        "version": "1.2.0",
        "description": "Per-user text blocks for the dashboard.",
        "author": "CAS team",
        "license": "MIT",
        "entry": "backend/dist/text-block.jar",
        "main": "dev.cas.example.TextBlockPlugin",
        "status": "active",
        "permissions": ["database.read", "database.write", "http.routes"],
        "compatibility": {
          "casVersion": ">=1.0.0",
          "javaVersion": ">=21",
          "dependencies": { "@cas/plugin-api": "^1.0.0" }
        },
        "endpoints": { "blocks": "/api/plugins/text-block/blocks" },
        "database": {
          "tables": ["text_blocks"],
          "migrations": ["001_create_blocks.sql"]
        },
        "configSchema": {
          "fontSize": { "type": "integer", "default": 14, "minimum": 8, "maximum": 72 },
          "apiKey": { "type": "string", "secret": true }
        }
      }
      """;

  private PluginFolders() {}

  /** A complete plugin folder under {@code dir}, with the given manifest text. */
  static Path create(Path dir, String manifest) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("plugin.json", utf8(manifest));
    files.put("backend/dist/text-block.jar", jar("dev/cas/example/TextBlockPlugin.class"));
    files.put(
        "backend/migrations/001_create_blocks.sql",
        utf8("CREATE TABLE text_blocks (id BIGSERIAL PRIMARY KEY, user_id TEXT, body TEXT);\n"));
    files.put(
        "backend/migrations/001_create_blocks_rollback.sql", utf8("DROP TABLE text_blocks;\n"));
    files.put("backend/src/TextBlockPlugin.java", utf8("class TextBlockPlugin {}\n"));
    files.put(
        "docs/index.json",
        utf8(
            "[{\"type\":\"readme\",\"title\":\"Overview\",\"format\":\"markdown\","
                + "\"language\":\"en\",\"version\":\"1.2.0\",\"file\":\"overview.md\"}]"));
    files.put("docs/overview.md", utf8("# Overview\n\nText blocks.\n"));
    files.put("data/export.json", utf8("{\"config\":{\"fontSize\":16},\"records\":{}}"));
    files.put("frontend/dist/text-block.js", utf8("export class TextBlock {}\n"));
    return write(dir, files);
  }

  /** A plugin without code: a manifest, one documentation page and its index. */
  static Path createDocsOnly(Path dir) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "plugin.json",
        utf8(
            """
            {
              "id": "core.user-guide",
              "name": "User guide",
              "version": "0.3.0-beta.1+build.7",
              "description": "Documentation only.",
              "status": "inactive",
              "keywords": ["docs"]
            }
            """));
    files.put(
        "docs/index.json",
        utf8("[{\"type\":\"guide\",\"title\":\"Guide\",\"file\":\"docs/guide.md\"}]"));
    files.put("docs/guide.md", utf8("# Guide\n\nCafé, naïve, 😀.\n"));
    return write(dir, files);
  }

  /** A complete plugin folder with the default manifest. */
  static Path create(Path dir) {
    return create(dir, MANIFEST);
  }

  static Path write(Path dir, Map<String, byte[]> files) {
    try {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        Path p = dir.resolve(e.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, e.getValue());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A real jar with one (empty) entry of the given name. */
  static byte[] jar(String entryName) {
    try (var bytes = new java.io.ByteArrayOutputStream();
        var jar = new JarOutputStream(bytes)) {
      jar.putNextEntry(new JarEntry(entryName));
      jar.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
      jar.closeEntry();
      jar.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
