package dev.cas.plugin.api;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A plugin's configuration: values validated by the host against the manifest's {@code
 * configSchema}, with the schema's defaults filled in. Secrets are readable by the plugin itself
 * but never exported or shown by the host.
 */
public interface PluginConfig {

  /**
   * The value of a key as text.
   *
   * @param key a key of the manifest's {@code configSchema}
   * @return the value as text, or empty when the key has no value and no default
   */
  Optional<String> getString(String key);

  /**
   * The value of an {@code integer} key.
   *
   * @param key a key of type {@code integer}
   * @return the value, or empty when the key has no value and no default
   */
  Optional<Long> getLong(String key);

  /**
   * The value of a {@code number} key.
   *
   * @param key a key of type {@code number}
   * @return the value, or empty when the key has no value and no default
   */
  Optional<Double> getDouble(String key);

  /**
   * The value of a {@code boolean} key.
   *
   * @param key a key of type {@code boolean}
   * @return the value, or empty when the key has no value and no default
   */
  Optional<Boolean> getBoolean(String key);

  /**
   * All values, keyed by name.
   *
   * @return each value as String, Long, Double or Boolean
   */
  Map<String, Object> asMap();

  /**
   * Calls the listener with the new configuration after each accepted change, until the plugin is
   * unloaded.
   *
   * @param listener given the configuration after the change
   */
  void onChange(Consumer<PluginConfig> listener);
}
