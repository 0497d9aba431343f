package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import dev.cas.plugin.api.KeyValueStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the host (the server) offers plugins beyond the runtime's own events, routes and tasks:
 * persistent storage, configuration values, and services such as the database, users and auth. The
 * runtime wraps each in the plugin's permission checks.
 */
public interface HostServices {

  /**
   * The raw key-value store of one plugin. The runtime checks {@code storage.*} permissions before
   * calling it.
   */
  KeyValueStore storage(String pluginId);

  /** The stored configuration values of one plugin (without defaults; the runtime adds them). */
  Map<String, Object> configValues(String pluginId);

  /**
   * A host service for one plugin, or empty when this host has none of that type.
   *
   * @param manifest the plugin asking
   * @param type the service interface, e.g. {@code Database}
   * @param onUnload where to register resources to release when the plugin is unloaded
   */
  <S> Optional<S> service(Manifest manifest, Class<S> type, Consumer<AutoCloseable> onUnload);

  /** Storage in memory and no configuration or extra services: for tests and tools. */
  static HostServices inMemory() {
    return new InMemory();
  }

  /** The in-memory services. */
  final class InMemory implements HostServices {
    private final Map<String, KeyValueStore> stores = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> configs = new ConcurrentHashMap<>();

    @Override
    public KeyValueStore storage(String pluginId) {
      return stores.computeIfAbsent(pluginId, id -> new MapStore());
    }

    @Override
    public Map<String, Object> configValues(String pluginId) {
      return configs.getOrDefault(pluginId, Map.of());
    }

    /** Sets a plugin's stored configuration values. */
    public void setConfig(String pluginId, Map<String, Object> values) {
      configs.put(pluginId, Map.copyOf(values));
    }

    @Override
    public <S> Optional<S> service(
        Manifest manifest, Class<S> type, Consumer<AutoCloseable> onUnload) {
      return Optional.empty();
    }
  }

  /** A sorted map as a store. */
  final class MapStore implements KeyValueStore {
    private final TreeMap<String, String> map = new TreeMap<>();

    @Override
    public synchronized Optional<String> get(String key) {
      return Optional.ofNullable(map.get(key));
    }

    @Override
    public synchronized List<String> keys(String prefix) {
      return map.tailMap(prefix, true).keySet().stream()
          .takeWhile(k -> k.startsWith(prefix))
          .toList();
    }

    @Override
    public synchronized void put(String key, String value) {
      map.put(key, value);
    }

    @Override
    public synchronized boolean delete(String key) {
      return map.remove(key) != null;
    }
  }
}
