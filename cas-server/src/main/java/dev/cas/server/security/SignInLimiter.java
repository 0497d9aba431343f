package dev.cas.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed sign-ins per username and per client address within a sliding window. Threat:
 * password guessing, against one account (per username) or across many (per address). While a key
 * is over its limit every sign-in for it is refused before the password is checked, so a guess that
 * happens to be right teaches nothing. Kept in memory, per host: a restart forgets it, and each
 * host of a cluster counts on its own.
 */
public final class SignInLimiter {

  /** Why a sign-in is refused: the key that is over its limit and when to try again. */
  public record Refusal(String message, Duration retryAfter) {}

  /** Keys beyond this many are pruned first, so a flood of usernames cannot exhaust memory. */
  private static final int MAX_KEYS = 100_000;

  private final int maxPerUser;
  private final int maxPerAddress;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  public SignInLimiter(int maxPerUser, int maxPerAddress, Duration window, Clock clock) {
    this.maxPerUser = maxPerUser;
    this.maxPerAddress = maxPerAddress;
    this.window = window;
    this.clock = clock;
  }

  /** Empty when a sign-in for this username from this address may be tried now. */
  public Optional<Refusal> check(String username, String address) {
    Instant now = clock.instant();
    Optional<Refusal> user =
        over("user:" + username, maxPerUser, now)
            .map(
                after ->
                    new Refusal(
                        maxPerUser
                            + " failed sign-ins for user ["
                            + username
                            + "] within "
                            + window.toSeconds()
                            + " s; try again in "
                            + after.toSeconds()
                            + " s",
                        after));
    if (user.isPresent()) {
      return user;
    }
    return over("address:" + address, maxPerAddress, now)
        .map(
            after ->
                new Refusal(
                    maxPerAddress
                        + " failed sign-ins from address ["
                        + address
                        + "] within "
                        + window.toSeconds()
                        + " s; try again in "
                        + after.toSeconds()
                        + " s",
                    after));
  }

  /** Counts a failed sign-in against the username and the address. */
  public void failed(String username, String address) {
    Instant now = clock.instant();
    if (failures.size() > MAX_KEYS) {
      prune(now);
    }
    for (String key : new String[] {"user:" + username, "address:" + address}) {
      Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
      synchronized (times) {
        times.addLast(now);
      }
    }
  }

  /** A successful sign-in clears the username's failures (not the address's). */
  public void succeeded(String username) {
    failures.remove("user:" + username);
  }

  /** When the key is at its limit, how long until its oldest counted failure leaves the window. */
  private Optional<Duration> over(String key, int max, Instant now) {
    Deque<Instant> times = failures.get(key);
    if (times == null) {
      return Optional.empty();
    }
    synchronized (times) {
      Instant cutoff = now.minus(window);
      while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
        times.removeFirst();
      }
      if (times.size() < max) {
        return Optional.empty();
      }
      // The failure whose leaving brings the count under the limit.
      Iterator<Instant> it = times.iterator();
      Instant pivot = it.next();
      for (int i = 0; i < times.size() - max; i++) {
        pivot = it.next();
      }
      Duration after = Duration.between(now, pivot.plus(window));
      return Optional.of(after.isNegative() ? Duration.ZERO : after.plusMillis(999).withNanos(0));
    }
  }

  private void prune(Instant now) {
    Instant cutoff = now.minus(window);
    failures
        .entrySet()
        .removeIf(
            e -> {
              synchronized (e.getValue()) {
                return e.getValue().isEmpty() || !e.getValue().peekLast().isAfter(cutoff);
              }
            });
  }
}
