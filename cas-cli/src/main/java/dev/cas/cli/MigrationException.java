package dev.cas.cli;

/** An input that {@code cas migrate-legacy} cannot turn into a package; the message says why. */
final class MigrationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MigrationException(String message) {
    super(message);
  }
}
