package dev.cas.runtime;

import java.util.Objects;

/**
 * Why the runtime refused an operation or why a plugin failed. The message names the plugin, the
 * class or dependency at fault, and the cause.
 */
public final class PluginRuntimeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of failure. */
  public enum Reason {
    /** No plugin of that id is installed. */
    NOT_INSTALLED,
    /** A plugin of that id is installed already. */
    ALREADY_INSTALLED,
    /** The manifest's main class is not in the plugin's jars. */
    MAIN_CLASS_NOT_FOUND,
    /** The main class does not implement {@code dev.cas.plugin.api.Plugin}. */
    NOT_A_PLUGIN,
    /** The main class has no public no-argument constructor, or it threw. */
    CONSTRUCTOR_FAILED,
    /** {@code initialize} threw. */
    INITIALIZE_FAILED,
    /** {@code activate} threw. */
    ACTIVATE_FAILED,
    /** {@code deactivate} threw. */
    DEACTIVATE_FAILED,
    /** A lifecycle method did not return in time. */
    TIMEOUT,
    /** A required plugin is not installed or not active. */
    DEPENDENCY_MISSING,
    /** A required plugin's version is outside the range. */
    DEPENDENCY_VERSION,
    /** Plugins depend on each other in a cycle. */
    DEPENDENCY_CYCLE,
    /** Active plugins depend on the one to deactivate, remove or replace. */
    HAS_DEPENDENTS,
    /** The operation is not allowed in the plugin's current state. */
    ILLEGAL_STATE,
    /** The host or Java version, or an API range, is not satisfied. */
    INCOMPATIBLE,
    /** The plugin's jars cannot be opened. */
    LOAD_FAILED,
    /** A route or event call threw; the plugin's exception is the cause. */
    CALL_FAILED,
    /** A call passed its deadline and was stopped. */
    CALL_DEADLINE,
    /** A call went over its CPU or allocation budget and was stopped. */
    CALL_OVER_BUDGET,
    /** The plugin had its maximum of calls in flight; the call was refused. */
    CALL_REJECTED
  }

  private final Reason reason;
  private final String pluginId;

  public PluginRuntimeException(Reason reason, String pluginId, String message) {
    this(reason, pluginId, message, null);
  }

  public PluginRuntimeException(Reason reason, String pluginId, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.pluginId = Objects.requireNonNull(pluginId, "pluginId");
  }

  public Reason reason() {
    return reason;
  }

  /** The plugin the failure is about. */
  public String pluginId() {
    return pluginId;
  }
}
