package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.server.security.SignInLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The sign-in limits on their own, with a clock the test moves: a burst of parallel guesses gets no
 * more tries than the limit, the wait is until the oldest counted failure leaves the window, and
 * the addresses of one IPv6 network count together.
 */
class SignInLimiterTest {

  /** A clock the test sets. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void aBurstOfParallelGuessesGetsNoMoreTriesThanTheLimit() throws Exception {
    SignInLimiter limiter = new SignInLimiter(3, 100, Duration.ofMinutes(15), new TestClock());
    List<Callable<Optional<SignInLimiter.Refusal>>> guesses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      guesses.add(() -> limiter.attempt("rita", "10.0.0.1"));
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      long allowed = 0;
      for (Future<Optional<SignInLimiter.Refusal>> f : pool.invokeAll(guesses)) {
        if (f.get().isEmpty()) {
          allowed++;
        }
      }
      assertThat(allowed).isEqualTo(3);
    }
  }

  @Test
  void theWaitLastsUntilTheOldestCountedFailureLeavesTheWindow() {
    TestClock clock = new TestClock();
    SignInLimiter limiter = new SignInLimiter(2, 100, Duration.ofSeconds(600), clock);
    assertThat(limiter.attempt("rita", "10.0.0.1")).isEmpty();
    clock.now = clock.now.plusSeconds(100);
    assertThat(limiter.attempt("rita", "10.0.0.1")).isEmpty();
    clock.now = clock.now.plusSeconds(50);
    SignInLimiter.Refusal refusal = limiter.attempt("rita", "10.0.0.1").orElseThrow();
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(450));
    assertThat(refusal.message())
        .isEqualTo("2 failed sign-ins for user [rita] within 600 s; try again in 450 s");
    clock.now = clock.now.plusSeconds(450);
    assertThat(limiter.attempt("rita", "10.0.0.1")).isEmpty();
    // A success forgets the username's failures.
    limiter.succeeded("rita", "10.0.0.1");
    assertThat(limiter.attempt("rita", "10.0.0.1")).isEmpty();
    assertThat(limiter.attempt("rita", "10.0.0.1")).isEmpty();
    assertThat(limiter.attempt("rita", "10.0.0.1")).isPresent();
  }

  @Test
  void theAddressesOfOneIpv6NetworkCountTogether() {
    SignInLimiter limiter = new SignInLimiter(100, 2, Duration.ofMinutes(15), new TestClock());
    assertThat(limiter.attempt("a", "2001:db8:1:2::1")).isEmpty();
    assertThat(limiter.attempt("b", "2001:db8:1:2:ffff::9")).isEmpty();
    assertThat(limiter.attempt("c", "2001:db8:1:2:abcd::3").orElseThrow().message())
        .startsWith("2 failed sign-ins from address [2001:db8:1:2:abcd::3] within 900 s");
    // Another /64 is another site.
    assertThat(limiter.attempt("d", "2001:db8:1:3::1")).isEmpty();
    // IPv4 counts by the address.
    assertThat(limiter.attempt("e", "10.0.0.1")).isEmpty();
    assertThat(limiter.attempt("f", "10.0.0.2")).isEmpty();
  }
}
