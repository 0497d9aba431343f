package dev.cas.packaging;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.cas.packaging.PackageException.Reason;
import dev.cas.plugin.api.Permission;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code plugin.json}: well-formed JSON, then the format's JSON Schema (shipped in this jar
 * as {@code plugin.schema.json}), then the rules a schema cannot say, then the {@link Manifest}.
 *
 * <p>In strict mode, unknown fields and permission names are errors; otherwise they are warnings,
 * so that a newer manifest still loads on an older tool.
 */
public final class ManifestParser {

  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "id",
          "name",
          "version",
          "description",
          "author",
          "license",
          "entry",
          "main",
          "status",
          "isSystem",
          "category",
          "keywords",
          "permissions",
          "compatibility",
          "endpoints",
          "database",
          "configSchema",
          "sandbox",
          "frontend");

  private static final Schema SCHEMA = loadSchema();

  private final boolean strict;

  private ManifestParser(boolean strict) {
    this.strict = strict;
  }

  /** A parser that warns about unknown fields and permissions. */
  public static ManifestParser lenient() {
    return new ManifestParser(false);
  }

  /** A parser that refuses unknown fields and permissions. */
  public static ManifestParser strict() {
    return new ManifestParser(true);
  }

  /**
   * A manifest and what was noticed while reading it.
   *
   * @param manifest the manifest
   * @param warnings problems that did not refuse it, each naming the field
   */
  public record Result(Manifest manifest, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /** Parses and validates the bytes of a {@code plugin.json}. */
  public Result parse(byte[] json) {
    JsonNode tree = readTree(json);
    List<String> warnings = new ArrayList<>();
    checkSchema(tree);
    checkFieldNames(tree, warnings);
    checkEntry(tree);
    checkRanges(tree, warnings);
    checkPermissions(tree, warnings);
    checkConfigSchema(tree);
    checkMigrations(tree);
    FrontendRules.apply(tree, warnings);
    try {
      return new Result(Json.MAPPER.treeToValue(tree, Manifest.class), warnings);
    } catch (JacksonException | IllegalArgumentException e) {
      throw invalid("(manifest)", "mapping", e.getMessage());
    }
  }

  /** The JSON Schema that {@code plugin.json} must satisfy, as text. */
  public static String schemaText() {
    try (InputStream in = schemaStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("plugin.schema.json is missing from the jar", e);
    }
  }

  private static JsonNode readTree(byte[] json) {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new PackageException(
          Reason.MANIFEST_MALFORMED,
          PackageLayout.MANIFEST,
          "plugin.json is not well-formed JSON: " + e.getOriginalMessage(),
          e);
    }
    if (tree == null || !tree.isObject()) {
      throw new PackageException(
          Reason.MANIFEST_MALFORMED, PackageLayout.MANIFEST, "plugin.json is not a JSON object");
    }
    return tree;
  }

  private static void checkSchema(JsonNode tree) {
    List<Error> errors = SCHEMA.validate(tree);
    if (errors.isEmpty()) {
      return;
    }
    Error first = errors.getFirst();
    String field = fieldOf(first);
    StringBuilder message =
        new StringBuilder(
            "plugin.json field ["
                + field
                + "] breaks rule ["
                + first.getKeyword()
                + "]: "
                + first.getMessage());
    if (errors.size() > 1) {
      message.append(" (and ").append(errors.size() - 1).append(" more:");
      errors.stream()
          .skip(1)
          .limit(5)
          .forEach(
              e -> message.append(" [").append(fieldOf(e)).append("] ").append(e.getKeyword()));
      message.append(")");
    }
    throw new PackageException(Reason.MANIFEST_INVALID, field, message.toString());
  }

  /**
   * The field in the dotted form the code rules use ({@code configSchema.mode.enum}, {@code
   * database.tables[0]}), built from the path's elements rather than its JSON Pointer text.
   */
  private static String fieldOf(Error error) {
    NodePath location = error.getInstanceLocation();
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append(path.isEmpty() ? "" : ".").append(element);
      }
    }
    String field = path.toString();
    if (error.getProperty() != null && !field.endsWith(error.getProperty())) {
      field = field.isEmpty() ? error.getProperty() : field + "." + error.getProperty();
    }
    return field.isEmpty() ? "(root)" : field;
  }

  private void checkFieldNames(JsonNode tree, List<String> warnings) {
    for (String name : tree.propertyNames()) {
      if (!KNOWN_FIELDS.contains(name)) {
        report(warnings, name, "unknown-field", "field [" + name + "] is not part of format 1");
      }
    }
  }

  /** The entry jar is named after the plugin, so two plugins cannot ship the same jar path. */
  private static void checkEntry(JsonNode tree) {
    JsonNode entry = tree.get("entry");
    if (entry == null) {
      return;
    }
    String expected = "backend/dist/" + tree.get("id").asString() + ".jar";
    if (!entry.asString().equals(expected)) {
      throw invalid(
          "entry", "entry-path", "must be [" + expected + "] but was [" + entry.asString() + "]");
    }
  }

  private static void checkRanges(JsonNode tree, List<String> warnings) {
    JsonNode compatibility = tree.get("compatibility");
    if (compatibility == null) {
      return;
    }
    for (String field : List.of("casVersion", "javaVersion")) {
      JsonNode range = compatibility.get(field);
      if (range != null && !VersionRanges.isRange(range.asString())) {
        throw invalid(
            "compatibility." + field,
            "semver-range",
            "[" + range.asString() + "] is not an npm-style version range");
      }
    }
    if (compatibility.has("nodeVersion")) {
      warnings.add(
          "compatibility.nodeVersion: ignored on the Java platform; use javaVersion instead");
    }
    JsonNode dependencies = compatibility.get("dependencies");
    if (dependencies != null) {
      for (Map.Entry<String, JsonNode> dep : dependencies.properties()) {
        if (!VersionRanges.isRange(dep.getValue().asString())) {
          throw invalid(
              "compatibility.dependencies." + dep.getKey(),
              "semver-range",
              "[" + dep.getValue().asString() + "] is not an npm-style version range");
        }
        if (dep.getKey().equals(tree.get("id").asString())) {
          throw invalid(
              "compatibility.dependencies." + dep.getKey(),
              "no-self-dependency",
              "a plugin cannot depend on itself");
        }
      }
    }
  }

  private void checkPermissions(JsonNode tree, List<String> warnings) {
    JsonNode permissions = tree.get("permissions");
    if (permissions == null) {
      return;
    }
    for (JsonNode p : permissions) {
      if (Permission.byId(p.asString()).isEmpty()) {
        report(
            warnings,
            "permissions",
            "known-permission",
            "[" + p.asString() + "] is not a known permission");
      }
    }
  }

  private static void checkConfigSchema(JsonNode tree) {
    JsonNode config = tree.get("configSchema");
    if (config == null) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : config.properties()) {
      String name = "configSchema." + field.getKey();
      JsonNode spec = field.getValue();
      String type = spec.get("type").asString();
      JsonNode def = spec.get("default");
      if (def != null && !defaultFits(type, def, spec)) {
        throw invalid(name + ".default", "default-type", "[" + def + "] is not a valid " + type);
      }
      if (spec.has("minimum")
          && spec.has("maximum")
          && spec.get("minimum").asDouble() > spec.get("maximum").asDouble()) {
        throw invalid(name, "minimum-maximum", "minimum is greater than maximum");
      }
      if (spec.has("pattern")) {
        try {
          java.util.regex.Pattern.compile(spec.get("pattern").asString());
        } catch (java.util.regex.PatternSyntaxException e) {
          throw invalid(name + ".pattern", "regex", e.getDescription());
        }
      }
    }
  }

  private static boolean defaultFits(String type, JsonNode def, JsonNode spec) {
    return switch (type) {
      case "string" -> def.isString();
      case "integer" -> def.isIntegralNumber();
      case "number" -> def.isNumber();
      case "boolean" -> def.isBoolean();
      case "enum" -> {
        for (JsonNode allowed : spec.get("enum")) {
          if (allowed.equals(def)) {
            yield true;
          }
        }
        yield false;
      }
      default -> false;
    };
  }

  /** Rollback files pair with the migrations; they are not migrations themselves. */
  private static void checkMigrations(JsonNode tree) {
    JsonNode database = tree.get("database");
    if (database == null || !database.has("migrations")) {
      return;
    }
    for (JsonNode m : database.get("migrations")) {
      if (m.asString().matches(".*_rollback(\\.[a-z0-9]+)?\\.sql")) {
        throw invalid(
            "database.migrations",
            "no-rollback-listed",
            "[" + m.asString() + "] is a rollback file; list only the forward migrations");
      }
    }
  }

  private void report(List<String> warnings, String field, String rule, String message) {
    if (strict) {
      throw invalid(field, rule, message + " (strict validation)");
    }
    warnings.add(field + ": " + message);
  }

  private static PackageException invalid(String field, String rule, String message) {
    return new PackageException(
        Reason.MANIFEST_INVALID,
        field,
        "plugin.json field [" + field + "] breaks rule [" + rule + "]: " + message);
  }

  private static InputStream schemaStream() {
    InputStream in = ManifestParser.class.getResourceAsStream("plugin.schema.json");
    if (in == null) {
      throw new IllegalStateException("plugin.schema.json is missing from the jar");
    }
    return in;
  }

  private static Schema loadSchema() {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    return registry.getSchema(schemaText(), InputFormat.JSON);
  }
}
