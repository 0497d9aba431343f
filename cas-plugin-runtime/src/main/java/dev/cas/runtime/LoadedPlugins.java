package dev.cas.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runtime's registry of loaded plugins and the lock every lifecycle change holds: one change at
 * a time; reads never wait.
 */
final class LoadedPlugins {

  private final Map<String, LoadedPlugin> byId = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  /** The lock of lifecycle changes. */
  ReentrantLock lock() {
    return lock;
  }

  /** The plugin of this id, or a refusal naming it. */
  LoadedPlugin get(String id) {
    LoadedPlugin p = byId.get(id);
    if (p == null) {
      throw new PluginRuntimeException(
          PluginRuntimeException.Reason.NOT_INSTALLED, id, "plugin [" + id + "] is not installed");
    }
    return p;
  }

  /** The plugin of this id, or null: for the loader's and the dependency rules' look-ups. */
  LoadedPlugin getOrNull(String id) {
    return byId.get(id);
  }

  Optional<LoadedPlugin> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  boolean contains(String id) {
    return byId.containsKey(id);
  }

  void put(LoadedPlugin p) {
    byId.put(p.id(), p);
  }

  void remove(LoadedPlugin p) {
    byId.remove(p.id(), p);
  }

  /** Every plugin, by id. */
  List<LoadedPlugin> all() {
    return List.copyOf(new TreeMap<>(byId).values());
  }

  /** The plugin as the API reports it, with the plugins that depend on it. */
  PluginInfo info(LoadedPlugin p) {
    List<String> dependents =
        DependencyGraph.dependentsOf(
            p.id(), byId.values().stream().map(lp -> lp.manifest).toList());
    return new PluginInfo(
        p.id(), p.manifest.version(), p.state, p.failure(), p.manifest, dependents);
  }
}
