package dev.cas.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/**
 * Writes docs/manifest-reference.md from the manifest's JSON Schema: one table row per field, with
 * its type, the rules the schema states and its description. The schema is the one source; this
 * renders the subset of JSON Schema it uses (type, enum, const, pattern, lengths, items,
 * propertyNames, additionalProperties, required, dependentRequired, $ref, if/then).
 */
final class ManifestReference {

  static final String SCHEMA = "docs/schema/plugin.schema.json";
  static final String OUTPUT = "docs/manifest-reference.md";

  private ManifestReference() {}

  /** The whole page for a schema. */
  static String render(JsonNode schema) {
    StringBuilder out = new StringBuilder();
    out.append("# Manifest reference (plugin.json)\n\n");
    out.append("<!-- Generated from ")
        .append(SCHEMA)
        .append(
            " by ManifestReferenceTest (module cas-package): edit the schema, not this file. -->")
        .append("\n\n");
    out.append(prose(text(schema, "title")))
        .append(". ")
        .append(prose(text(schema, "description")));
    out.append(
        " [FORMAT.md](FORMAT.md) is the whole contract; (Java) marks what is Java-specific.\n\n");
    table(out, schema);
    JsonNode dependent = schema.path("dependentRequired");
    for (Map.Entry<String, JsonNode> e : dependent.properties()) {
      out.append("\nWith `")
          .append(e.getKey())
          .append("` set, ")
          .append(codeList(e.getValue()))
          .append(" must be set too.");
    }
    if (!dependent.isEmpty()) {
      out.append("\n");
    }
    for (Map.Entry<String, JsonNode> def : schema.path("$defs").properties()) {
      out.append("\n## ").append(def.getKey()).append("\n\n");
      out.append(prose(text(def.getValue(), "description"))).append("\n\n");
      table(out, def.getValue());
      JsonNode when = def.getValue().path("if").path("properties");
      for (Map.Entry<String, JsonNode> cond : when.properties()) {
        out.append("\nWhen `")
            .append(cond.getKey())
            .append("` is `")
            .append(cond.getValue().path("const").asString())
            .append("`, ")
            .append(codeList(def.getValue().path("then").path("required")))
            .append(" is required.\n");
      }
    }
    return out.toString();
  }

  private static void table(StringBuilder out, JsonNode object) {
    out.append("| field | type | rules | description |\n|---|---|---|---|\n");
    rows(out, "", object);
  }

  private static void rows(StringBuilder out, String prefix, JsonNode object) {
    List<String> required = strings(object.path("required"));
    for (Map.Entry<String, JsonNode> p : object.path("properties").properties()) {
      String name = prefix + p.getKey();
      JsonNode field = p.getValue();
      List<String> rules = new ArrayList<>();
      if (required.contains(p.getKey())) {
        rules.add("required");
      }
      rules.addAll(rules(field));
      out.append("| `")
          .append(name)
          .append("` | ")
          .append(type(field))
          .append(" | ")
          .append(cell(String.join("; ", rules)))
          .append(" | ")
          .append(prose(text(field, "description")))
          .append(" |\n");
      if (field.has("properties")) {
        rows(out, name + ".", field);
      }
    }
  }

  private static String type(JsonNode field) {
    if (field.has("$ref")) {
      String ref = field.path("$ref").asString();
      String name = ref.substring(ref.lastIndexOf('/') + 1);
      return "[" + name + "](#" + name.toLowerCase(java.util.Locale.ROOT) + ")";
    }
    if (field.has("enum")) {
      return "one of " + cell(codeList(field.path("enum")));
    }
    JsonNode type = field.path("type");
    String base =
        type.isArray()
            ? strings(type).stream().collect(Collectors.joining(" or "))
            : type.asString("");
    if (base.equals("array") && field.has("items")) {
      return "array of " + type(field.path("items"));
    }
    if (base.equals("object") && field.path("additionalProperties").isObject()) {
      return "object: key → " + type(field.path("additionalProperties"));
    }
    return base;
  }

  private static List<String> rules(JsonNode field) {
    List<String> rules = new ArrayList<>();
    length(rules, field, "minLength", "maxLength", "chars");
    length(rules, field, "minItems", "maxItems", "items");
    if (field.path("uniqueItems").asBoolean(false)) {
      rules.add("no duplicates");
    }
    if (field.has("pattern")) {
      rules.add("matches `" + field.path("pattern").asString() + "`");
    }
    JsonNode items = field.path("items");
    if (items.isObject() && !items.has("$ref")) {
      rules(items).forEach(r -> rules.add("each " + r));
    }
    if (field.path("propertyNames").has("pattern")) {
      rules.add("keys match `" + field.path("propertyNames").path("pattern").asString() + "`");
    }
    JsonNode additional = field.path("additionalProperties");
    if (additional.isBoolean() && !additional.asBoolean()) {
      rules.add("no other keys");
    } else if (additional.isObject() && !additional.has("$ref")) {
      rules(additional).forEach(r -> rules.add("each value " + r));
    }
    return rules;
  }

  private static void length(
      List<String> rules, JsonNode field, String minKey, String maxKey, String unit) {
    boolean min = field.has(minKey);
    boolean max = field.has(maxKey);
    if (min && max) {
      rules.add(field.path(minKey).asInt() + "–" + field.path(maxKey).asInt() + " " + unit);
    } else if (min) {
      int n = field.path(minKey).asInt();
      rules.add("at least " + n + " " + (n == 1 ? unit.substring(0, unit.length() - 1) : unit));
    } else if (max) {
      rules.add("at most " + field.path(maxKey).asInt() + " " + unit);
    }
  }

  private static String codeList(JsonNode values) {
    return StreamSupport.stream(values.spliterator(), false)
        .map(v -> "`" + (v.isString() ? v.asString() : v.toString()) + "`")
        .collect(Collectors.joining(", "));
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
  }

  private static String text(JsonNode node, String key) {
    return node.path(key).asString("");
  }

  /** Prose from the schema: {@code <id>} would be read as an HTML tag. */
  private static String prose(String s) {
    return cell(s.replace("<", "\\<"));
  }

  /** A table cell: a {@code |} would end it, even inside back-quotes. */
  private static String cell(String s) {
    return s.replace("|", "\\|");
  }
}
