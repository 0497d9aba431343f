package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import dev.cas.runtime.PluginRuntimeException.Reason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The plugins' {@code compatibility.dependencies} as a graph: start order, cycle detection, and who
 * depends on whom. Keys starting with {@code @cas/} are platform API ranges, not plugins.
 */
final class DependencyGraph {

  private DependencyGraph() {}

  /** The plugin ids a manifest depends on. */
  static Set<String> pluginDependencies(Manifest manifest) {
    Set<String> ids = new LinkedHashSet<>();
    new TreeMap<>(manifest.compatibility().dependencies())
        .keySet().stream().filter(k -> !k.startsWith("@cas/")).forEach(ids::add);
    return ids;
  }

  /**
   * Orders manifests so that each comes after the plugins it depends on (dependencies outside the
   * set are taken as already satisfied). Ties keep id order, so the order is stable.
   *
   * @throws PluginRuntimeException with {@link Reason#DEPENDENCY_CYCLE} naming the cycle
   */
  static List<Manifest> startOrder(Collection<Manifest> manifests) {
    Map<String, Manifest> byId = new TreeMap<>();
    manifests.forEach(m -> byId.put(m.id(), m));
    List<Manifest> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> onPath = new LinkedHashSet<>();
    for (String id : byId.keySet()) {
      visit(id, byId, done, onPath, order);
    }
    return order;
  }

  private static void visit(
      String id,
      Map<String, Manifest> byId,
      Set<String> done,
      Set<String> onPath,
      List<Manifest> order) {
    if (done.contains(id) || !byId.containsKey(id)) {
      return;
    }
    if (!onPath.add(id)) {
      throw cycle(id, onPath);
    }
    for (String dep : pluginDependencies(byId.get(id))) {
      if (onPath.contains(dep)) {
        throw cycle(dep, onPath);
      }
      visit(dep, byId, done, onPath, order);
    }
    onPath.remove(id);
    done.add(id);
    order.add(byId.get(id));
  }

  private static PluginRuntimeException cycle(String start, Set<String> path) {
    List<String> ids = new ArrayList<>(path);
    List<String> loop = new ArrayList<>(ids.subList(ids.indexOf(start), ids.size()));
    loop.add(start);
    return new PluginRuntimeException(
        Reason.DEPENDENCY_CYCLE,
        start,
        "plugins depend on each other in a cycle: " + String.join(" -> ", loop));
  }

  /**
   * Every installed plugin that depends on {@code id}, directly or not, ordered so that a plugin
   * comes before those it depends on (the order to stop them in).
   */
  static List<String> dependentsOf(String id, Collection<Manifest> installed) {
    Map<String, Set<String>> reverse = new HashMap<>();
    for (Manifest m : installed) {
      for (String dep : pluginDependencies(m)) {
        reverse.computeIfAbsent(dep, k -> new LinkedHashSet<>()).add(m.id());
      }
    }
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(List.of(id));
    while (!queue.isEmpty()) {
      for (String d : reverse.getOrDefault(queue.poll(), Set.of())) {
        if (seen.add(d)) {
          queue.add(d);
        }
      }
    }
    Map<String, Manifest> byId = new HashMap<>();
    installed.forEach(m -> byId.put(m.id(), m));
    List<Manifest> ordered = startOrder(seen.stream().map(byId::get).toList());
    List<String> stopOrder = new ArrayList<>(ordered.stream().map(Manifest::id).toList());
    java.util.Collections.reverse(stopOrder);
    return stopOrder;
  }
}
