package dev.cas.server.logs;

import java.util.Arrays;
import java.util.Locale;

/** The levels a log query filters by, least severe first. */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR;

  /** The level named (any case); a clear refusal otherwise. */
  public static LogLevel parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "level [" + name + "] is not one of " + Arrays.toString(values()));
    }
  }

  /** Whether a line of {@code level} is at or above this one. */
  public boolean admits(String level) {
    return valueOf(level).compareTo(this) >= 0;
  }
}
