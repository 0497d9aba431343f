package dev.cas.cli;

import tools.jackson.databind.JsonNode;

/** A {@code KEY=VALUE} value read as the type the plugin's configuration schema gives the key. */
final class ConfigValues {

  private ConfigValues() {}

  static Object parse(JsonNode property, String key, String value) {
    String type = property.path("type").asString("string");
    return switch (type) {
      case "integer" -> {
        try {
          yield Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
          throw new UsageException("[" + key + "] is an integer, not [" + value + "]");
        }
      }
      case "number" -> {
        try {
          yield Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
          throw new UsageException("[" + key + "] is a number, not [" + value + "]");
        }
      }
      case "boolean" -> {
        if (!value.equals("true") && !value.equals("false")) {
          throw new UsageException("[" + key + "] is true or false, not [" + value + "]");
        }
        yield Boolean.parseBoolean(value);
      }
      case "array", "object" -> {
        try {
          yield HostClient.JSON.readTree(value);
        } catch (tools.jackson.core.JacksonException e) {
          throw new UsageException("[" + key + "] is a JSON " + type + ", not [" + value + "]");
        }
      }
      default -> value;
    };
  }
}
