package dev.cas.packaging;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes a package's {@code README.md} from its manifest and docs index, deterministically. */
final class ReadmeGenerator {

  private ReadmeGenerator() {}

  /**
   * @param docs the docs index items as (title, file) pairs, in index order
   */
  static String generate(Manifest m, List<Map.Entry<String, String>> docs) {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(m.name()).append("\n\n");
    out.append(m.description()).append("\n\n");
    out.append("| | |\n|---|---|\n");
    row(out, "Plugin id", "`" + m.id() + "`");
    row(out, "Version", m.version());
    m.author().ifPresent(a -> row(out, "Author", a));
    m.license().ifPresent(l -> row(out, "License", l));
    m.category().ifPresent(c -> row(out, "Category", c));
    m.compatibility().casVersion().ifPresent(v -> row(out, "CAS version", "`" + v + "`"));
    m.compatibility().javaVersion().ifPresent(v -> row(out, "Java version", "`" + v + "`"));
    row(out, "Status after install", m.status().id());
    out.append('\n');
    list(out, "Permissions", m.permissions().stream().map(p -> "`" + p + "`").toList());
    list(
        out,
        "Depends on",
        new TreeMap<>(m.compatibility().dependencies())
            .entrySet().stream().map(e -> "`" + e.getKey() + "` " + e.getValue()).toList());
    list(
        out,
        "Endpoints",
        new TreeMap<>(m.endpoints())
            .entrySet().stream().map(e -> e.getKey() + ": `" + e.getValue() + "`").toList());
    if (!m.configSchema().isEmpty()) {
      out.append("## Configuration\n\n| key | type | required | default | description |\n");
      out.append("|---|---|---|---|---|\n");
      new TreeMap<>(m.configSchema())
          .forEach(
              (key, f) ->
                  out.append("| `")
                      .append(key)
                      .append("` | ")
                      .append(f.type())
                      .append(f.secret() ? " (secret)" : "")
                      .append(" | ")
                      .append(f.required() ? "yes" : "no")
                      .append(" | ")
                      .append(f.secret() ? "" : f.defaultValue().map(String::valueOf).orElse(""))
                      .append(" | ")
                      .append(f.description().orElse("").replace("|", "\\|"))
                      .append(" |\n"));
      out.append('\n');
    }
    list(
        out,
        "Database tables (schema `" + m.database().schema().orElseThrow() + "`)",
        m.database().tables().stream().map(t -> "`" + t + "`").toList());
    list(
        out,
        "Documentation",
        docs.stream().map(d -> "[" + d.getKey() + "](" + d.getValue() + ")").toList());
    out.append("_This file is generated from plugin.json by the CAS package writer._\n");
    return out.toString();
  }

  private static void row(StringBuilder out, String key, String value) {
    out.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
  }

  private static void list(StringBuilder out, String title, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    out.append("## ").append(title).append("\n\n");
    items.forEach(i -> out.append("- ").append(i).append('\n'));
    out.append('\n');
  }
}
