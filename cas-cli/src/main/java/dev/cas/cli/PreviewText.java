package dev.cas.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** The dry run's preview as text: what the import would do and what it would let the plugin do. */
final class PreviewText {

  private PreviewText() {}

  static void print(PrintWriter o, JsonNode p, String host) {
    JsonNode plugin = p.path("plugin");
    String outcome = p.path("outcome").asString();
    o.println(
        plugin.path("name").asString()
            + " ("
            + plugin.path("id").asString()
            + ") "
            + plugin.path("version").asString()
            + (outcome.equals("unchanged")
                ? ": this version is installed, the import would change nothing"
                : ": would " + outcome)
            + (p.hasNonNull("installedVersion") && !outcome.equals("unchanged")
                ? " (installed: " + p.path("installedVersion").asString() + ")"
                : "")
            + " on host ["
            + host
            + "]");
    o.println("  permissions:   " + list(p.path("permissions")));
    o.println("  sandbox:       " + sandbox(p.path("sandbox")));
    JsonNode sig = p.path("signature");
    o.println(
        "  signer:        "
            + (sig.path("signed").asBoolean()
                ? sig.path("keyId").asString()
                    + (sig.path("trusted").asBoolean() ? " (trusted)" : "")
                : "unsigned")
            + " (host policy "
            + sig.path("policy").asString().toLowerCase(Locale.ROOT).replace('_', '-')
            + ")");
    JsonNode scan = p.path("scan");
    List<String> counts = new ArrayList<>();
    for (String risk : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW")) {
      counts.add(scan.path("counts").path(risk).asInt() + " " + risk.toLowerCase(Locale.ROOT));
    }
    o.println(
        "  scan:          "
            + scan.path("findings").size()
            + " findings ("
            + String.join(", ", counts)
            + "), max risk in own code "
            + scan.path("maxRisk").asString()
            + ", "
            + scan.path("libraries").asInt()
            + " bundled libraries");
    for (JsonNode f : scan.path("findings")) {
      o.println(
          "                 "
              + f.path("risk").asString()
              + " "
              + f.path("category").asString()
              + " at "
              + f.path("location").asString()
              + ": "
              + f.path("detail").asString()
              + (f.path("ownCode").asBoolean() ? "" : " (bundled library)"));
    }
    JsonNode db = p.path("database");
    o.println(
        "  migrations:    "
            + list(db.path("pendingMigrations"))
            + " to run"
            + (db.path("appliedMigrations").isEmpty()
                ? ""
                : "; applied already: " + list(db.path("appliedMigrations"))));
    o.println("  tables:        " + list(db.path("tables")));
    List<String> deps = new ArrayList<>();
    for (JsonNode d : p.path("dependencies")) {
      deps.add(
          d.path("id").asString()
              + " "
              + d.path("range").asString()
              + (d.hasNonNull("activeVersion")
                  ? " (active: " + d.path("activeVersion").asString() + ")"
                  : d.path("platform").asBoolean() ? "" : " (not active)"));
    }
    o.println("  dependencies:  " + (deps.isEmpty() ? "(none)" : String.join(", ", deps)));
    JsonNode changes = p.path("changes");
    if (!changes.isMissingNode()) {
      o.println("  changes from " + p.path("installedVersion").asString() + ":");
      // The versions are on the first line already; the rest are lists of what comes and goes.
      changes.properties().stream()
          .filter(e -> !e.getKey().equals("version"))
          .forEach(e -> o.println("    " + pad(e.getKey() + ":") + diff(e.getValue())));
    }
    p.path("warnings").forEach(w -> o.println("  warning:       " + w.asString()));
    o.flush();
  }

  private static String pad(String s) {
    return s + " ".repeat(Math.max(1, 18 - s.length()));
  }

  private static String diff(JsonNode d) {
    List<String> parts = new ArrayList<>();
    d.path("added").forEach(a -> parts.add("+" + a.asString()));
    d.path("removed").forEach(r -> parts.add("-" + r.asString()));
    return parts.isEmpty() ? "(no change)" : String.join(" ", parts);
  }

  private static String sandbox(JsonNode s) {
    if (s.path("declared").isBoolean() && !s.path("declared").asBoolean()) {
      return "(none declared)";
    }
    List<String> parts = new ArrayList<>();
    s.properties()
        .forEach(
            e -> {
              if (!e.getValue().isNull() && !(e.getValue().isArray() && e.getValue().isEmpty())) {
                parts.add(
                    e.getKey()
                        + " "
                        + (e.getValue().isArray() ? list(e.getValue()) : e.getValue().asString()));
              }
            });
    return parts.isEmpty() ? "(nothing)" : String.join("; ", parts);
  }

  static String list(JsonNode array) {
    if (array.isEmpty()) {
      return "(none)";
    }
    List<String> items = new ArrayList<>();
    array.forEach(i -> items.add(i.asString()));
    return String.join(", ", items);
  }
}
