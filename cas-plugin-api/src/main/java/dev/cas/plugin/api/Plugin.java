package dev.cas.plugin.api;

/**
 * The class a plugin names as {@code main} in its manifest implements this. The host creates it
 * with its public no-argument constructor and drives it through the {@link PluginState}s.
 *
 * <p>Every method may throw; the host then marks the plugin {@link PluginState#FAILED} with the
 * exception as the reason and releases what the plugin registered.
 *
 * <p>The host calls each of these methods on a short-lived platform thread of its own, named {@code
 * plugin-<id>-<method>} (e.g. {@code plugin-notes-activate}), with the plugin's class loader as the
 * context class loader, and waits at most the lifecycle timeout ({@code
 * lifecycle.timeout.seconds}): a call still running then is interrupted and fails with {@code
 * TIMEOUT}. Routes, event listeners and tasks run on other threads of the plugin: see {@link
 * HttpRoutes}, {@link EventBus#subscribe} and {@link PluginTasks}.
 */
public interface Plugin {

  /**
   * Called once after loading, before any other method. Register routes, listeners and services
   * here through the context.
   *
   * @param context who the plugin is, its configuration and the host's services
   * @throws Exception to refuse to start; the install or activation fails with {@code
   *     INITIALIZE_FAILED} naming the cause
   */
  void initialize(PluginContext context) throws Exception;

  /**
   * Called when the plugin starts serving; default does nothing.
   *
   * @throws Exception to refuse to serve; the activation fails with {@code ACTIVATE_FAILED}
   */
  default void activate() throws Exception {}

  /**
   * Called when the plugin stops serving; it may be activated again later.
   *
   * @throws Exception reported as {@code DEACTIVATE_FAILED}; the routes stop answering all the same
   *     and the plugin is marked {@link PluginState#FAILED}
   */
  default void deactivate() throws Exception {}

  /**
   * Called once before the plugin is removed from the host, after {@link #deactivate()}.
   *
   * @throws Exception kept as the reason of its last state; the plugin is removed all the same
   */
  default void uninstall() throws Exception {}

  /**
   * Tells the host whether the plugin works. The default reports healthy; override to check
   * connections or caches the plugin depends on.
   *
   * @return up or down, with a detail for operators
   */
  default HealthStatus health() {
    return HealthStatus.ok();
  }
}
