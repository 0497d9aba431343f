package dev.cas.runtime;

import dev.cas.packaging.PluginPackage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads and runs plugins: one class loader each, started in dependency order, driven through the
 * {@link dev.cas.plugin.api.PluginState lifecycle} with timeouts, installed, upgraded and removed
 * while the host runs. Every failed install leaves nothing loaded.
 *
 * <p>Operations are serialised: one lifecycle change at a time. Reads ({@link #list()}, {@link
 * #routes()}) never wait.
 */
public interface PluginRuntime extends AutoCloseable {

  /** A runtime with these options. */
  static PluginRuntime create(RuntimeOptions options) {
    return new DefaultPluginRuntime(options);
  }

  /**
   * Loads, initializes and (when the manifest's {@code status} is {@code active}) activates a
   * plugin from a package that a {@link dev.cas.packaging.PackageReader} read. The package's folder
   * must stay in place while the plugin is installed.
   *
   * @throws PluginRuntimeException naming the plugin, class or dependency and the cause; nothing of
   *     the plugin stays loaded, except when only {@code activate} failed: then the plugin stays
   *     installed as {@link dev.cas.plugin.api.PluginState#FAILED FAILED} with the reason, to be
   *     activated again or uninstalled
   */
  PluginInfo install(PluginPackage pkg);

  /**
   * Installs several plugins along their dependency graph (a cycle among them is refused before
   * anything loads), as {@link #startAll} does; any failure is then thrown, the first with the
   * others suppressed, leaving the plugins that did start installed.
   */
  List<PluginInfo> installAll(List<PluginPackage> packages);

  /**
   * Installs several plugins along their dependency graph: plugins whose dependencies among them
   * are installed load, construct and initialize in parallel on a bounded pool (one thread per
   * processor), then are registered and, when their desired state is active, activated in id order;
   * a plugin starts only after its dependencies among them are active. The order of one plugin's
   * {@code host:plugin:*} events is the same as with {@link #install}. A failure keeps out only
   * that plugin and the ones depending on it.
   *
   * @throws PluginRuntimeException {@code DEPENDENCY_CYCLE} before anything loads
   */
  StartReport startAll(List<PluginPackage> packages);

  /** Activates an initialized or inactive plugin; its plugin dependencies must be active. */
  PluginInfo activate(String id);

  /**
   * Deactivates a plugin. Refused while active plugins depend on it, unless {@code force}, which
   * deactivates those first.
   *
   * @return the ids deactivated, dependents first, the plugin last
   */
  List<String> deactivate(String id, boolean force);

  /**
   * Removes a plugin: deactivates it, calls {@code uninstall}, releases everything it registered
   * and closes its class loader. Refused while other installed plugins depend on it, unless {@code
   * force}, which removes those first.
   *
   * @return the ids removed, dependents first, the plugin last
   */
  List<String> uninstall(String id, boolean force);

  /**
   * Replaces an installed plugin with another version of it. The new version is loaded and
   * initialized beside the old; only when that works are the routes switched and the old version
   * unloaded. A failure leaves the old version running.
   */
  PluginInfo upgrade(PluginPackage pkg, boolean force);

  /**
   * Validates and applies new configuration values; the plugin's change listeners are called.
   *
   * @throws IllegalArgumentException listing every problem
   */
  PluginInfo configure(String id, Map<String, Object> values);

  /**
   * Stops an active plugin and marks it {@link dev.cas.plugin.api.PluginState#FAILED FAILED} with
   * the reason, e.g. when the host's health monitor gave up restarting it. Like any failed plugin
   * it can be activated again, upgraded or uninstalled. A plugin that is not active is marked
   * failed as it is.
   */
  PluginInfo fail(String id, String reason);

  /** One plugin. */
  Optional<PluginInfo> find(String id);

  /** The package a plugin was loaded from. */
  Optional<PluginPackage> packageOf(String id);

  /** All plugins, by id. */
  List<PluginInfo> list();

  /** Calls the plugin's health check (with the lifecycle timeout). */
  dev.cas.plugin.api.HealthStatus health(String id);

  /**
   * Runs a matched route's handler as an accounted call of its plugin (layer 3 of
   * docs/security.md): on a host-owned thread with the plugin's loader, refused when the plugin has
   * its maximum of calls in flight, stopped at the route deadline or when over its CPU or
   * allocation budget.
   *
   * @throws PluginRuntimeException {@code CALL_REJECTED}, {@code CALL_DEADLINE}, {@code
   *     CALL_OVER_BUDGET} (messages name the plugin and the limit), or {@code CALL_FAILED} with the
   *     handler's own exception as the cause
   */
  dev.cas.plugin.api.HttpRoutes.Response callRoute(
      RouteTable.Match match, dev.cas.plugin.api.HttpRoutes.Request request);

  /** What a plugin's calls used since its current version was loaded. */
  Optional<PluginUsage> usage(String id);

  /** The HTTP routes of all plugins, for the server to dispatch. */
  RouteTable routes();

  /** The host's event bus. */
  HostEventBus events();

  /** What watches unloaded plugins' class loaders. */
  LeakDetector leakDetector();

  /** Deactivates and unloads every plugin, dependents first. */
  @Override
  void close();
}
