package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginState;
import java.util.Optional;

/**
 * One plugin instance on the runtime: its package, loader, instance, context and state. Mutable;
 * guarded by the runtime's lock.
 */
final class LoadedPlugin {

  final PluginPackage pkg;
  final Manifest manifest;
  final PluginClassLoader loader;
  final PluginScope scope;
  final RouteTable.RouteSet routes;
  final PluginConfigImpl config;
  final PluginTasksImpl tasks;
  final PluginMeter meter;
  Plugin instance;
  PluginContextImpl context;
  volatile PluginState state = PluginState.INSTALLED;
  volatile String failure;

  LoadedPlugin(
      PluginPackage pkg,
      PluginClassLoader loader,
      PluginScope scope,
      RouteTable.RouteSet routes,
      PluginConfigImpl config,
      PluginTasksImpl tasks,
      PluginMeter meter) {
    this.pkg = pkg;
    this.manifest = pkg.manifest();
    this.loader = loader;
    this.scope = scope;
    this.routes = routes;
    this.config = config;
    this.tasks = tasks;
    this.meter = meter;
  }

  String id() {
    return manifest.id();
  }

  Optional<String> failure() {
    return Optional.ofNullable(failure);
  }
}
