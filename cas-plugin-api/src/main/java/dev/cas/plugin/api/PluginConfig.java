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

  /** The value of a key as text. */
  Optional<String> getString(String key);

  /** The value of an {@code integer} key. */
  Optional<Long> getLong(String key);

  /** The value of a {@code number} key. */
  Optional<Double> getDouble(String key);

  /** The value of a {@code boolean} key. */
  Optional<Boolean> getBoolean(String key);

  /** All values, keyed by name: String, Long, Double or Boolean. */
  Map<String, Object> asMap();

  /**
   * Calls the listener with the new configuration after each accepted change, until the plugin is
   * unloaded.
   */
  void onChange(Consumer<PluginConfig> listener);
}
