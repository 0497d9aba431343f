package dev.cas.runtime;

import dev.cas.plugin.api.PluginConfig;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A plugin's configuration values, replaced as a whole when an operator changes them. */
final class PluginConfigImpl implements PluginConfig {

  private final String pluginId;
  private volatile Map<String, Object> values;
  private final List<Consumer<PluginConfig>> listeners = new CopyOnWriteArrayList<>();

  PluginConfigImpl(String pluginId, Map<String, Object> values) {
    this.pluginId = pluginId;
    this.values = Map.copyOf(values);
  }

  void replace(Map<String, Object> newValues) {
    values = Map.copyOf(newValues);
    for (Consumer<PluginConfig> l : listeners) {
      try {
        l.accept(this);
      } catch (RuntimeException e) {
        System.getLogger("plugin." + pluginId)
            .log(Level.WARNING, "configuration listener of [" + pluginId + "] failed", e);
      }
    }
  }

  void clearListeners() {
    listeners.clear();
  }

  @Override
  public Optional<String> getString(String key) {
    return Optional.ofNullable(values.get(key)).map(String::valueOf);
  }

  @Override
  public Optional<Long> getLong(String key) {
    return Optional.ofNullable(values.get(key))
        .map(v -> v instanceof Number n ? n.longValue() : Long.parseLong(v.toString()));
  }

  @Override
  public Optional<Double> getDouble(String key) {
    return Optional.ofNullable(values.get(key))
        .map(v -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString()));
  }

  @Override
  public Optional<Boolean> getBoolean(String key) {
    return Optional.ofNullable(values.get(key))
        .map(v -> v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString()));
  }

  @Override
  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public void onChange(Consumer<PluginConfig> listener) {
    listeners.add(listener);
  }
}
