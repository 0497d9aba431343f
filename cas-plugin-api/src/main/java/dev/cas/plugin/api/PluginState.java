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
  /** The package is stored; its dependencies are not looked at yet. */
  INSTALLED,
  /** The plugins it requires are found, in range. */
  RESOLVED,
  /** {@link Plugin#initialize(PluginContext)} returned; it does not serve yet. */
  INITIALIZED,
  /** It serves: its routes answer and its listeners get events. */
  ACTIVE,
  /** It was deactivated; it may be activated again. */
  INACTIVE,
  /** It is removed from the host. */
  UNINSTALLED,
  /** A transition failed; the state carries the reason. */
  FAILED
}
