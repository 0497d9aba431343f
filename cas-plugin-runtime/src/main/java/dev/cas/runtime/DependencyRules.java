package dev.cas.runtime;

import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageException;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginRuntimeException.Reason;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules between plugins: a plugin starts only when the host and its plugin dependencies
 * (active, in range) are there; a plugin others depend on is not stopped, removed or replaced
 * without force.
 */
final class DependencyRules {

  private final LoadedPlugins plugins;
  private final CompatibilityChecker.Host host;

  DependencyRules(LoadedPlugins plugins, CompatibilityChecker.Host host) {
    this.plugins = plugins;
    this.host = host;
  }

  /**
   * Refuses a plugin the host or the active plugins cannot satisfy, naming every problem.
   *
   * @throws PluginRuntimeException {@code DEPENDENCY_MISSING}, {@code DEPENDENCY_VERSION} or {@code
   *     INCOMPATIBLE}
   */
  void requireStartable(Manifest manifest) {
    Map<String, String> active = new TreeMap<>();
    Map<String, String> installed = new TreeMap<>();
    for (LoadedPlugin p : plugins.all()) {
      installed.put(p.id(), p.manifest.version());
      if (p.state == PluginState.ACTIVE) {
        active.put(p.id(), p.manifest.version());
      }
    }
    List<CompatibilityChecker.Incompatibility> problems =
        CompatibilityChecker.check(
            manifest,
            new CompatibilityChecker.Host(
                host.casVersion(), host.javaFeature(), host.apiModules(), active));
    if (problems.isEmpty()) {
      return;
    }
    CompatibilityChecker.Incompatibility first = problems.getFirst();
    Reason reason =
        switch (first.reason()) {
          case DEPENDENCY_UNSATISFIED ->
              installed.containsKey(first.subject()) && active.containsKey(first.subject())
                  ? Reason.DEPENDENCY_VERSION
                  : Reason.DEPENDENCY_MISSING;
          default -> Reason.INCOMPATIBLE;
        };
    String detail = String.join("; ", problems.stream().map(this::describe).toList());
    throw new PluginRuntimeException(
        reason, manifest.id(), "plugin [" + manifest.id() + "] cannot start: " + detail);
  }

  private String describe(CompatibilityChecker.Incompatibility i) {
    if (i.reason() == PackageException.Reason.DEPENDENCY_UNSATISFIED
        && i.found().equals("(none)")) {
      LoadedPlugin installed = plugins.getOrNull(i.subject());
      return installed == null
          ? "requires plugin [" + i.subject() + "] " + i.required() + ", which is not installed"
          : "requires plugin ["
              + i.subject()
              + "] "
              + i.required()
              + ", which is "
              + installed.state.name().toLowerCase(Locale.ROOT);
    }
    if (i.reason() == PackageException.Reason.DEPENDENCY_UNSATISFIED) {
      return "requires plugin ["
          + i.subject()
          + "] "
          + i.required()
          + ", but version "
          + i.found()
          + " is installed";
    }
    return i.describe();
  }

  /** The active plugins that depend on {@code p}, in stop order; refused unless {@code force}. */
  List<String> activeDependents(LoadedPlugin p, boolean force, String action) {
    List<String> dependents =
        dependentsOf(p.id()).stream()
            .filter(d -> plugins.get(d).state == PluginState.ACTIVE)
            .toList();
    if (!dependents.isEmpty() && !force) {
      throw new PluginRuntimeException(
          Reason.HAS_DEPENDENTS,
          p.id(),
          "cannot "
              + action
              + " plugin ["
              + p.id()
              + "]: active plugins "
              + dependents
              + " depend on it (force to "
              + action
              + " them too)");
    }
    return dependents;
  }

  /**
   * The installed plugins that depend on {@code id}, in stop order; refused unless {@code force}.
   */
  List<String> installedDependents(String id, boolean force, String action, String hint) {
    List<String> dependents = dependentsOf(id);
    if (!dependents.isEmpty() && !force) {
      throw new PluginRuntimeException(
          Reason.HAS_DEPENDENTS,
          id,
          "cannot "
              + action
              + " plugin ["
              + id
              + "]: installed plugins "
              + dependents
              + " depend on it "
              + hint);
    }
    return dependents;
  }

  private List<String> dependentsOf(String id) {
    return DependencyGraph.dependentsOf(id, plugins.all().stream().map(lp -> lp.manifest).toList());
  }
}
