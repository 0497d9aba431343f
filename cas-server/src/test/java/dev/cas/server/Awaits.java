package dev.cas.server;

import java.util.function.BooleanSupplier;

/** The one polling helper of the server tests: waits for a condition, then fails plainly. */
final class Awaits {

  private Awaits() {}

  /** Waits up to 60 s (a generous bound for a busy machine) for the condition to hold. */
  static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
  }
}
