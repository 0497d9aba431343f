package dev.cas.server.ops;

/**
 * Where the end of each plugin route call is reported, with its outcome: the metrics and the
 * error-rate alert. Called on the request path, so implementations only count.
 */
@FunctionalInterface
public interface RouteCalls {

  /** How a plugin route call ended. */
  enum Outcome {
    /** Answered below 500. */
    OK,
    /** Threw, was stopped over its budget, or answered 5xx. */
    ERROR,
    /** Stopped at its deadline. */
    TIMEOUT,
    /** Refused: the plugin had its maximum of calls in flight. */
    REJECTED
  }

  /**
   * A call ended.
   *
   * @param route the path as the plugin registered it ({@code /items/{id}})
   * @param nanos how long it took
   */
  void ended(String plugin, String method, String route, Outcome outcome, long nanos);

  /** Both, in order. */
  static RouteCalls both(RouteCalls first, RouteCalls second) {
    return (plugin, method, route, outcome, nanos) -> {
      first.ended(plugin, method, route, outcome, nanos);
      second.ended(plugin, method, route, outcome, nanos);
    };
  }
}
