package dev.cas.server;

import java.time.Duration;

/**
 * Browser sessions and sign-in limits (README, "Browser sessions").
 *
 * @param idleTimeout a browser session unused this long ends, and the page returns to its sign-in
 *     form ({@code session.idle-timeout.seconds} / {@code CAS_SESSION_IDLE_TIMEOUT_SECONDS},
 *     default 1800)
 * @param maxFailuresPerUser failed sign-ins for one username within the window after which its
 *     sign-ins are refused with 429 until the oldest failure leaves the window ({@code
 *     signin.max-failures.user} / {@code CAS_SIGNIN_MAX_FAILURES_USER}, default 5)
 * @param maxFailuresPerAddress the same per client address, whatever the username ({@code
 *     signin.max-failures.address} / {@code CAS_SIGNIN_MAX_FAILURES_ADDRESS}, default 20)
 * @param failureWindow how long a failed sign-in counts ({@code signin.window.seconds} / {@code
 *     CAS_SIGNIN_WINDOW_SECONDS}, default 900)
 */
public record SessionSettings(
    Duration idleTimeout,
    int maxFailuresPerUser,
    int maxFailuresPerAddress,
    Duration failureWindow) {

  public SessionSettings {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "session.idle-timeout.seconds must be more than 0 (was " + idleTimeout + ")");
    }
    if (failureWindow.isNegative() || failureWindow.isZero()) {
      throw new IllegalArgumentException(
          "signin.window.seconds must be more than 0 (was " + failureWindow + ")");
    }
  }

  static SessionSettings load(ServerConfig.Settings s) {
    return new SessionSettings(
        s.seconds("session.idle-timeout.seconds", "CAS_SESSION_IDLE_TIMEOUT_SECONDS", "1800"),
        (int) s.number("signin.max-failures.user", "CAS_SIGNIN_MAX_FAILURES_USER", "5", 1),
        (int) s.number("signin.max-failures.address", "CAS_SIGNIN_MAX_FAILURES_ADDRESS", "20", 1),
        s.seconds("signin.window.seconds", "CAS_SIGNIN_WINDOW_SECONDS", "900"));
  }
}
