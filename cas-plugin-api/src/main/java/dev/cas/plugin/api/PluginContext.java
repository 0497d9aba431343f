package dev.cas.plugin.api;

import java.util.Set;

/**
 * What the host gives a plugin when it initializes it: who the plugin is, its configuration, and
 * the host's services. Every service checks the plugin's declared {@link Permission}s and throws
 * {@link PermissionDeniedException} naming the missing one.
 *
 * <p>Everything a plugin registers through its context (routes, subscriptions, tasks, exported
 * services) is released by the host when the plugin is deactivated or unloaded; a plugin that
 * starts threads of its own, outside {@link #tasks()}, must stop them in {@link
 * Plugin#deactivate()}.
 */
public interface PluginContext {

  /**
   * The plugin's id from its manifest.
   *
   * @return the id, for example {@code text-block}
   */
  String pluginId();

  /**
   * The plugin's version from its manifest.
   *
   * @return the version, for example {@code 1.2.0}
   */
  String pluginVersion();

  /**
   * The permissions the plugin declared and the host granted.
   *
   * @return the granted permissions
   */
  Set<Permission> permissions();

  /**
   * A logger named after the plugin; the host routes it to its own log with the plugin id.
   *
   * @return the plugin's logger
   */
  System.Logger logger();

  /**
   * The plugin's configuration, validated against its manifest's {@code configSchema}.
   *
   * @return the current configuration
   */
  PluginConfig config();

  /**
   * Publish and subscribe to events. Needs {@code events.publish} / {@code events.subscribe}.
   *
   * @return the host's event bus, seen as this plugin
   */
  EventBus events();

  /**
   * The plugin's own key-value storage. Needs {@code storage.read} / {@code storage.write}.
   *
   * @return the plugin's storage
   */
  KeyValueStore storage();

  /**
   * HTTP routes under {@code /api/plugins/<id>/}. Needs {@code http.routes}.
   *
   * @return the plugin's route table
   */
  HttpRoutes routes();

  /**
   * Executors whose threads the host stops when the plugin is unloaded.
   *
   * @return the plugin's executors
   */
  PluginTasks tasks();

  /**
   * A host service by its interface: {@link Database}, {@link Users}, {@link Auth}. The service is
   * scoped to this plugin (its schema, its permissions).
   *
   * @param <S> the service's interface
   * @param type the service's interface
   * @return the service, scoped to this plugin
   * @throws ServiceUnavailableException when this host does not offer the service
   * @throws PermissionDeniedException when the plugin lacks the permission the service needs
   */
  <S> S service(Class<S> type);

  /**
   * Makes an implementation of {@code type} available to plugins that depend on this one. The
   * interface must live in a package this plugin exports, so that both plugins see the same type:
   * the attribute {@code CAS-Export-Package} of the plugin jar's manifest lists such packages,
   * separated by commas (e.g. {@code CAS-Export-Package: com.example.greeting.api}); sub-packages
   * are not included.
   *
   * @param <S> the service's interface
   * @param type the service's interface, in an exported package
   * @param implementation what callers get
   */
  <S> void exportService(Class<S> type, S implementation);

  /**
   * A service another plugin exported. Needs {@code plugins.call}, and the other plugin among this
   * plugin's {@code compatibility.dependencies}.
   *
   * @param <S> the service's interface
   * @param pluginId the plugin that exports it
   * @param type the service's interface, from a package that plugin exports
   * @return the service, or empty when that plugin is not active or exports no such service
   */
  <S> java.util.Optional<S> pluginService(String pluginId, Class<S> type);
}
