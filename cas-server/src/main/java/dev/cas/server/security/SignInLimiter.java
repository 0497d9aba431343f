package dev.cas.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

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
  private final Map<String, Deque<Instant>> failures = new HashMap<>();

  public SignInLimiter(int maxPerUser, int maxPerAddress, Duration window, Clock clock) {
    this.maxPerUser = maxPerUser;
    this.maxPerAddress = maxPerAddress;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Empty when a sign-in for this username from this address may be tried now; the attempt then
   * counts as failed until {@link #succeeded} says otherwise. Counting before the password is
   * checked, under one lock, stops a burst of parallel guesses from all passing the check before
   * any of them is counted.
   */
  public synchronized Optional<Refusal> attempt(String username, String address) {
    Instant now = clock.instant();
    Optional<Duration> user = over("user:" + username, maxPerUser, now);
    if (user.isPresent()) {
      return Optional.of(
          new Refusal(
              maxPerUser
                  + " failed sign-ins for user ["
                  + username
                  + "] within "
                  + window.toSeconds()
                  + " s; try again in "
                  + user.get().toSeconds()
                  + " s",
              user.get()));
    }
    Optional<Duration> from = over(addressKey(address), maxPerAddress, now);
    if (from.isPresent()) {
      return Optional.of(
          new Refusal(
              maxPerAddress
                  + " failed sign-ins from address ["
                  + address
                  + "] within "
                  + window.toSeconds()
                  + " s; try again in "
                  + from.get().toSeconds()
                  + " s",
              from.get()));
    }
    if (failures.size() > MAX_KEYS) {
      prune(now);
    }
    failures.computeIfAbsent("user:" + username, k -> new ArrayDeque<>()).addLast(now);
    failures.computeIfAbsent(addressKey(address), k -> new ArrayDeque<>()).addLast(now);
    return Optional.empty();
  }

  /**
   * The attempt succeeded: the username's failures are forgotten, and the attempt no longer counts
   * against the address (its earlier failures still do).
   */
  public synchronized void succeeded(String username, String address) {
    failures.remove("user:" + username);
    Deque<Instant> times = failures.get(addressKey(address));
    if (times != null && !times.isEmpty()) {
      times.removeLast();
    }
  }

  /** When the key is at its limit, how long until its oldest counted failure leaves the window. */
  private Optional<Duration> over(String key, int max, Instant now) {
    Deque<Instant> times = failures.get(key);
    if (times == null) {
      return Optional.empty();
    }
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

  /**
   * Threat: one machine with an IPv6 network trying from a fresh address each time. An IPv6 address
   * counts by its /64 network (what one site is usually given); IPv4 by the address.
   */
  static String addressKey(String address) {
    if (!address.contains(":")) {
      return "address:" + address;
    }
    try {
      // With a colon it is an IPv6 literal (as the socket gave it): parsed, never looked up.
      byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
      return bytes.length == 16
          ? "address:" + java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64"
          : "address:" + address;
    } catch (java.net.UnknownHostException e) {
      return "address:" + address;
    }
  }

  private void prune(Instant now) {
    Instant cutoff = now.minus(window);
    failures
        .entrySet()
        .removeIf(e -> e.getValue().isEmpty() || !e.getValue().peekLast().isAfter(cutoff));
  }
}
