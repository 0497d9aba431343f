package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks configuration values against a manifest's {@code configSchema} and fills in defaults. Used
 * when a plugin starts and whenever an operator changes its configuration; invalid values never
 * reach the plugin.
 */
public final class ConfigValidator {

  private ConfigValidator() {}

  /**
   * Every problem with {@code values}, each naming the key; empty when valid. Unknown keys, missing
   * required keys, wrong types, values outside {@code enum}, {@code minimum}, {@code maximum} or
   * {@code pattern}.
   */
  public static List<String> problems(Manifest manifest, Map<String, Object> values) {
    List<String> problems = new ArrayList<>();
    Map<String, Manifest.ConfigField> schema = manifest.configSchema();
    for (String key : new TreeMap<>(values).keySet()) {
      if (!schema.containsKey(key)) {
        problems.add("[" + key + "] is not in the plugin's configSchema");
      }
    }
    new TreeMap<>(schema)
        .forEach(
            (key, field) -> {
              Object value = values.get(key);
              if (value == null) {
                if (field.required() && field.defaultValue().isEmpty()) {
                  problems.add("[" + key + "] is required");
                }
                return;
              }
              check(key, field, value, problems);
            });
    return problems;
  }

  /** The values with the schema's defaults added for absent keys, converted to their types. */
  public static Map<String, Object> withDefaults(Manifest manifest, Map<String, Object> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    new TreeMap<>(manifest.configSchema())
        .forEach(
            (key, field) -> {
              Object value =
                  values.containsKey(key) ? values.get(key) : field.defaultValue().orElse(null);
              if (value != null) {
                out.put(key, normalise(field.type(), value));
              }
            });
    return out;
  }

  private static void check(
      String key, Manifest.ConfigField field, Object value, List<String> problems) {
    String type = field.type();
    boolean ok =
        switch (type) {
          case "string" -> value instanceof String;
          case "integer" ->
              value instanceof Integer
                  || value instanceof Long
                  || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()));
          case "number" -> value instanceof Number;
          case "boolean" -> value instanceof Boolean;
          case "enum" ->
              field.allowed().stream()
                  .anyMatch(a -> String.valueOf(a).equals(String.valueOf(value)));
          default -> false;
        };
    if (!ok) {
      String expected =
          switch (type) {
            case "enum" -> "one of " + field.allowed();
            case "integer" -> "an integer";
            default -> "a " + type;
          };
      problems.add(
          "["
              + key
              + "] must be "
              + expected
              + " but was ["
              + (field.secret() ? "(secret)" : value)
              + "]");
      return;
    }
    if (value instanceof Number n) {
      field
          .minimum()
          .filter(min -> n.doubleValue() < min)
          .ifPresent(
              min ->
                  problems.add("[" + key + "] must be at least " + plain(min) + " but was " + n));
      field
          .maximum()
          .filter(max -> n.doubleValue() > max)
          .ifPresent(
              max -> problems.add("[" + key + "] must be at most " + plain(max) + " but was " + n));
    }
    if (value instanceof String s
        && field.pattern().isPresent()
        && !Pattern.compile(field.pattern().get()).matcher(s).matches()) {
      problems.add(
          "["
              + key
              + "] must match "
              + field.pattern().get()
              + (field.secret() ? "" : " but was [" + s + "]"));
    }
  }

  /** {@code 72} rather than {@code 72.0} for whole limits. */
  private static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static Object normalise(String type, Object value) {
    if (type.equals("integer") && value instanceof Number n) {
      return n.longValue();
    }
    if (type.equals("number") && value instanceof Number n) {
      return n.doubleValue();
    }
    return value;
  }
}
