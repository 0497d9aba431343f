package dev.cas.cli;

/** A command line that names something that is not there, or options that do not fit together. */
final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
