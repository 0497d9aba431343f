package dev.cas.server.install;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.ConfigValidator;
import dev.cas.server.HostException;
import dev.cas.server.http.HtmlSanitizer;
import dev.cas.server.registry.ConfigStore;
import dev.cas.server.registry.PluginStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an installed package holds beyond its manifest: plugin.json's text, the documentation pages
 * of docs/index.json, data/export.json's configuration and table rows. Reads the package's folder
 * only.
 */
final class PackageContents {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PackageContents() {}

  /** Rows of data/export.json, table by table in database.tables order, all in one transaction. */
  @SuppressWarnings("unchecked")
  static Map<String, List<Map<String, Object>>> records(PluginPackage pkg) {
    JsonNode data = dataExport(pkg);
    JsonNode records = data == null ? null : data.get("records");
    if (records == null || !records.isObject()) {
      return Map.of();
    }
    Map<String, List<Map<String, Object>>> byTable = new LinkedHashMap<>();
    for (String table : pkg.manifest().database().tables()) {
      if (records.has(table)) {
        byTable.put(table, new ArrayList<>());
      }
    }
    for (Map.Entry<String, JsonNode> table : records.properties()) {
      List<Map<String, Object>> rows =
          byTable.computeIfAbsent(table.getKey(), k -> new ArrayList<>());
      for (JsonNode row : table.getValue()) {
        rows.add(JSON.convertValue(row, Map.class));
      }
    }
    return byTable;
  }

  /**
   * The configuration a plugin starts with: on upgrade, the stored values its new configSchema
   * still knows; on install, data/export.json's values without secrets. Refuses values that break
   * the schema (a required key may be missing: the plugin then stays inactive).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> initialConfig(ConfigStore store, PluginPackage pkg, boolean upgrade) {
    Manifest m = pkg.manifest();
    Map<String, Object> values = new LinkedHashMap<>();
    if (upgrade) {
      store
          .values(m.id())
          .forEach(
              (k, v) -> {
                if (m.configSchema().containsKey(k)) {
                  values.put(k, v);
                }
              });
    } else {
      JsonNode data = dataExport(pkg);
      if (data != null && data.has("config")) {
        values.putAll(JSON.convertValue(data.get("config"), Map.class));
      }
      values
          .keySet()
          .removeIf(k -> m.configSchema().containsKey(k) && m.configSchema().get(k).secret());
    }
    List<String> problems = ConfigValidator.problems(m, values);
    problems = problems.stream().filter(p -> !p.endsWith("is required")).toList();
    if (!problems.isEmpty()) {
      throw new HostException(
          HostException.Reason.CONFIG_INVALID,
          "configuration in data/export.json of plugin ["
              + m.id()
              + "] is invalid: "
              + String.join("; ", problems));
    }
    return values;
  }

  static JsonNode dataExport(PluginPackage pkg) {
    Path file = pkg.file("data/export.json");
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String manifestJson(PluginPackage pkg) {
    try {
      return Files.readString(pkg.file("plugin.json"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The package's documentation pages, from docs/index.json. */
  static List<PluginStore.Doc> docsOf(PluginPackage pkg) {
    Path index = pkg.file("docs/index.json");
    if (!Files.exists(index)) {
      return List.of();
    }
    try {
      List<PluginStore.Doc> docs = new ArrayList<>();
      for (JsonNode d : JSON.readTree(Files.readAllBytes(index))) {
        String file = d.get("file").asString();
        String path = file.startsWith("docs/") ? file : "docs/" + file;
        String content = Files.readString(pkg.file(path), StandardCharsets.UTF_8);
        String format = text(d, "format", file.endsWith(".html") ? "html" : "markdown");
        docs.add(
            new PluginStore.Doc(
                text(d, "type", "readme"),
                d.get("title").asString(),
                format,
                text(d, "language", "en"),
                text(d, "version", pkg.manifest().version()),
                path.substring("docs/".length()),
                format.equals("html") ? HtmlSanitizer.clean(content) : content));
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode node, String field, String def) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? def : v.asString();
  }
}
