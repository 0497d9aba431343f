package dev.cas.runtime;

import dev.cas.plugin.api.PluginState;
import java.util.function.BiConsumer;

/**
 * Layer 3's last resort (docs/security.md): a plugin that broke its deadline or budgets too often
 * is deactivated, with the plugins that depend on it; the reason is kept as its failure and
 * published with {@code host:plugin:inactive} ({@code "budget": true}).
 */
final class BudgetEnforcement {

  private final LoadedPlugins plugins;
  private final DependencyRules dependencies;
  private final BiConsumer<LoadedPlugin, String> deactivate;

  /**
   * @param deactivate deactivates a plugin; the reason is null for a dependent, the budget's for
   *     the offender
   */
  BudgetEnforcement(
      LoadedPlugins plugins,
      DependencyRules dependencies,
      BiConsumer<LoadedPlugin, String> deactivate) {
    this.plugins = plugins;
    this.dependencies = dependencies;
    this.deactivate = deactivate;
  }

  /**
   * Called by the plugin's meter at its last strike. Runs on its own thread: the call that made the
   * last strike may hold nothing the runtime's lock waits for.
   */
  void onRepeatedOffence(PluginMeter meter, String why) {
    Thread.ofVirtual()
        .name("cas-budget-" + meter.pluginId())
        .start(
            () -> {
              plugins.lock().lock();
              try {
                LoadedPlugin p = plugins.getOrNull(meter.pluginId());
                if (p == null || p.meter != meter || p.state != PluginState.ACTIVE) {
                  return;
                }
                for (String dependent : dependencies.activeDependents(p, true, "deactivate")) {
                  deactivate.accept(plugins.get(dependent), null);
                }
                deactivate.accept(p, "deactivated by the host: " + why);
              } catch (RuntimeException e) {
                System.getLogger(BudgetEnforcement.class.getName())
                    .log(
                        System.Logger.Level.WARNING,
                        "deactivating plugin [" + meter.pluginId() + "] over budget failed",
                        e);
              } finally {
                plugins.lock().unlock();
              }
            });
  }
}
