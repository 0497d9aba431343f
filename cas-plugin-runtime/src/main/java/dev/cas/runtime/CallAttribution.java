package dev.cas.runtime;

/**
 * Told, on the thread that runs it, when code of a plugin starts and ends running there: each route
 * call, event delivery, lifecycle call (constructor, {@code initialize}, {@code activate}, {@code
 * deactivate}, {@code health}), task and scheduled run, and each run of the plugin's work on a pool
 * it does not own. The host attributes what such a thread logs to the plugin with it (the plugin's
 * id in the logging MDC), so the runtime needs no logging library of its own.
 */
@FunctionalInterface
public interface CallAttribution {

  /** Attributes nothing. */
  CallAttribution NONE = pluginId -> () -> {};

  /**
   * Called on the thread about to run code of {@code pluginId}; must be quick and must not throw.
   *
   * @return what ends the attribution, closed on the same thread when the code has run
   */
  Scope enter(String pluginId);

  /** The attribution of one run, ended on the thread it began on. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
