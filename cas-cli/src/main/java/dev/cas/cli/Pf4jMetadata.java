package dev.cas.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * A PF4J plugin's descriptor, read as PF4J reads it: {@code plugin.properties} at the jar's root
 * ({@code plugin.id}, {@code plugin.class}…), else the jar manifest's {@code Plugin-Id}, {@code
 * Plugin-Class}… attributes.
 *
 * @param source where it was read: {@code plugin.properties} or {@code META-INF/MANIFEST.MF}
 * @param values the descriptor's keys in the {@code plugin.properties} spelling ({@code plugin.id},
 *     …), blank values left out
 */
record Pf4jMetadata(String source, Map<String, String> values) {

  static final String PROPERTIES = "plugin.properties";
  static final String MANIFEST = "META-INF/MANIFEST.MF";

  /** The descriptor keys, in the {@code plugin.properties} spelling, with their manifest names. */
  static final Map<String, String> KEYS = keys();

  Pf4jMetadata {
    values = Map.copyOf(values);
  }

  /**
   * Reads the descriptor from a jar's {@code plugin.properties} (when present) or manifest.
   *
   * @throws MigrationException when neither names a plugin id and class
   */
  static Pf4jMetadata read(String jarName, Optional<byte[]> properties, Optional<Manifest> mf) {
    Pf4jMetadata metadata;
    if (properties.isPresent()) {
      metadata = new Pf4jMetadata(PROPERTIES, fromProperties(properties.get()));
    } else if (mf.isPresent() && mf.get().getMainAttributes().getValue("Plugin-Id") != null) {
      metadata = new Pf4jMetadata(MANIFEST, fromManifest(mf.get().getMainAttributes()));
    } else {
      throw new MigrationException(
          "["
              + jarName
              + "] is not a PF4J plugin: it has no plugin.properties and its manifest has no"
              + " Plugin-Id attribute");
    }
    for (String key : new String[] {"plugin.id", "plugin.class"}) {
      if (metadata.get(key).isEmpty()) {
        throw new MigrationException(
            "PF4J descriptor ["
                + metadata.source
                + "] of ["
                + jarName
                + "] has no ["
                + metadata.name(key)
                + "]");
      }
    }
    return metadata;
  }

  Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** The key as this descriptor's source spells it ({@code plugin.id} or {@code Plugin-Id}). */
  String name(String key) {
    return source.equals(PROPERTIES) ? key : KEYS.get(key);
  }

  String id() {
    return values.get("plugin.id");
  }

  String pluginClass() {
    return values.get("plugin.class");
  }

  private static Map<String, String> fromProperties(byte[] bytes) {
    Properties p = new Properties();
    try {
      p.load(new ByteArrayInputStream(bytes));
    } catch (IOException | IllegalArgumentException e) {
      throw new MigrationException("plugin.properties cannot be read: " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    KEYS.keySet().forEach(k -> put(values, k, p.getProperty(k)));
    return values;
  }

  private static Map<String, String> fromManifest(Attributes attributes) {
    Map<String, String> values = new LinkedHashMap<>();
    KEYS.forEach((k, attribute) -> put(values, k, attributes.getValue(attribute)));
    return values;
  }

  private static void put(Map<String, String> values, String key, String value) {
    if (value != null && !value.isBlank()) {
      values.put(key, value.trim());
    }
  }

  private static Map<String, String> keys() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String k :
        new String[] {
          "id", "class", "version", "dependencies", "requires", "description", "provider", "license"
        }) {
      keys.put("plugin." + k, "Plugin-" + Character.toUpperCase(k.charAt(0)) + k.substring(1));
    }
    return java.util.Collections.unmodifiableMap(keys);
  }
}
