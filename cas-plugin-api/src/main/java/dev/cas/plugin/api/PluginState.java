package dev.cas.plugin.api;

/**
 * Where a plugin is in its life on a host.
 *
 * <pre>
 *   INSTALLED --resolve--> RESOLVED --initialize--> INITIALIZED --activate--> ACTIVE
 *                                                                  ^            |
 *                                                        activate  |            | deactivate
 *                                                                  |            v
 *                                                                  +------- INACTIVE
 *
 *   any state --uninstall--> UNINSTALLED        any transition that fails --> FAILED
 * </pre>
 *
 * <p>A plugin is {@link #INSTALLED} once its package is stored, {@link #RESOLVED} once its
 * dependencies are found, {@link #INITIALIZED} once {@link Plugin#initialize(PluginContext)}
 * returned. Only an {@link #ACTIVE} plugin serves requests. {@link #FAILED} carries the reason of
 * the transition that failed; the host never leaves a plugin half way between two states.
 */
public enum PluginState {
  INSTALLED,
  RESOLVED,
  INITIALIZED,
  ACTIVE,
  INACTIVE,
  UNINSTALLED,
  FAILED
}
