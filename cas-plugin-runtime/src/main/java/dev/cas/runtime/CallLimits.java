package dev.cas.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * The host's rules for plugin calls (layer 3 of docs/security.md).
 *
 * @param routeDeadline longest a route handler or event handler may run; then its thread is
 *     interrupted, its loops stop at their next back-edge, and the HTTP answer is 504
 * @param maxConcurrentCalls route calls one plugin may have in flight; one more is refused (429)
 * @param strikes deadline kills and budget breaches within {@code strikeWindow} after which the
 *     plugin is deactivated
 * @param strikeWindow how far back strikes count
 * @param watchdogPeriod how often in-flight calls are checked against their CPU and allocation
 *     budgets
 */
public record CallLimits(
    Duration routeDeadline,
    int maxConcurrentCalls,
    int strikes,
    Duration strikeWindow,
    Duration watchdogPeriod) {

  public CallLimits {
    Objects.requireNonNull(routeDeadline, "routeDeadline");
    Objects.requireNonNull(strikeWindow, "strikeWindow");
    Objects.requireNonNull(watchdogPeriod, "watchdogPeriod");
    if (routeDeadline.isNegative() || routeDeadline.isZero()) {
      throw new IllegalArgumentException("routeDeadline must be positive: " + routeDeadline);
    }
    if (maxConcurrentCalls < 1 || strikes < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentCalls and strikes must be at least 1: "
              + maxConcurrentCalls
              + ", "
              + strikes);
    }
  }

  /** 30 s per route call, 64 in flight per plugin, 3 strikes in 5 minutes, checked every 20 ms. */
  public static CallLimits defaults() {
    return new CallLimits(
        Duration.ofSeconds(30), 64, 3, Duration.ofMinutes(5), Duration.ofMillis(20));
  }

  /** A copy with another route deadline. */
  public CallLimits withRouteDeadline(Duration deadline) {
    return new CallLimits(deadline, maxConcurrentCalls, strikes, strikeWindow, watchdogPeriod);
  }

  /** A copy with another concurrency limit. */
  public CallLimits withMaxConcurrentCalls(int max) {
    return new CallLimits(routeDeadline, max, strikes, strikeWindow, watchdogPeriod);
  }

  /** A copy with another strike count. */
  public CallLimits withStrikes(int count) {
    return new CallLimits(routeDeadline, maxConcurrentCalls, count, strikeWindow, watchdogPeriod);
  }
}
