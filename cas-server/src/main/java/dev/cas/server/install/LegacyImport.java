package dev.cas.server.install;

import dev.cas.packaging.PackageWriter;
import dev.cas.server.HostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The earlier, code-less system's JSON export, {@code {plugin, documentation, data}}, turned into a
 * regular package (docs and configuration only) so it goes through the same checks and the same
 * import as any package.
 */
public final class LegacyImport {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private LegacyImport() {}

  /** Writes the package for the legacy JSON into {@code out}. */
  public static void toPackage(JsonNode legacy, Path work, Path out) throws IOException {
    JsonNode plugin = legacy.get("plugin");
    if (plugin == null || !plugin.isObject()) {
      throw new HostException(
          HostException.Reason.BAD_REQUEST, "legacy import needs a [plugin] object");
    }
    ObjectNode manifest = ((ObjectNode) plugin).deepCopy();
    // A legacy export carries no code: whatever it says about entry points cannot be honoured.
    for (String field : List.of("entry", "main", "endpoints", "database", "frontend")) {
      manifest.remove(field);
    }
    Path folder = work.resolve("legacy");
    Files.createDirectories(folder.resolve("docs"));
    Files.writeString(folder.resolve("plugin.json"), JSON.writeValueAsString(manifest));
    List<Map<String, Object>> index = new ArrayList<>();
    JsonNode docs = legacy.get("documentation");
    int n = 0;
    if (docs != null) {
      for (JsonNode d : docs) {
        n++;
        String format = text(d, "contentFormat", "markdown");
        String file =
            String.format(
                java.util.Locale.ROOT,
                "%02d-%s.%s",
                n,
                text(d, "documentType", "readme").replaceAll("[^a-z0-9_-]", ""),
                format.equals("html") ? "html" : format.equals("plain") ? "txt" : "md");
        Files.writeString(
            folder.resolve("docs").resolve(file), text(d, "content", ""), StandardCharsets.UTF_8);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("type", text(d, "documentType", "readme"));
        entry.put("title", text(d, "title", "Documentation " + n));
        entry.put("format", format);
        entry.put("language", text(d, "language", "en"));
        entry.put("version", text(d, "version", manifest.path("version").asString("1.0.0")));
        entry.put("file", file);
        index.add(entry);
      }
    }
    Files.writeString(folder.resolve("docs/index.json"), JSON.writeValueAsString(index));
    JsonNode data = legacy.get("data");
    if (data != null && data.isObject()) {
      Files.createDirectories(folder.resolve("data"));
      Map<String, Object> export = new LinkedHashMap<>();
      export.put("config", data.has("config") ? data.get("config") : data);
      export.put("records", Map.of());
      Files.writeString(folder.resolve("data/export.json"), JSON.writeValueAsString(export));
    }
    PackageWriter.builder()
        .createdAt(Instant.now())
        .tool("cas-server legacy import")
        .includeData(true)
        .build()
        .write(folder, out);
  }

  private static String text(JsonNode n, String field, String def) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? def : v.asString();
  }
}
