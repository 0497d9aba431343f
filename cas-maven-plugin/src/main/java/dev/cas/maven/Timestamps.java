package dev.cas.maven;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.apache.maven.plugin.MojoFailureException;

/** The package's creation time, as Maven's reproducible builds state it. */
final class Timestamps {

  private Timestamps() {}

  /**
   * {@code project.build.outputTimestamp} (ISO-8601 or seconds since the epoch), else {@code
   * SOURCE_DATE_EPOCH}, else now (a package that is then not reproducible).
   *
   * @return the instant, and whether it is fixed
   */
  static Instant creationTime(String outputTimestamp, String sourceDateEpoch)
      throws MojoFailureException {
    String value = outputTimestamp;
    if (value == null || value.isBlank() || value.length() < 2) {
      // Maven's own rule: a single character (e.g. "a") turns reproducible timestamps off.
      value = sourceDateEpoch;
    }
    if (value == null || value.isBlank()) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
    String v = value.trim();
    try {
      if (v.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochSecond(Long.parseLong(v));
      }
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new MojoFailureException(
          "project.build.outputTimestamp ["
              + value
              + "] is neither ISO-8601 (2026-01-01T00:00:00Z) nor seconds since the epoch");
    }
  }

  static boolean fixed(String outputTimestamp, String sourceDateEpoch) {
    return (outputTimestamp != null && outputTimestamp.trim().length() >= 2)
        || (sourceDateEpoch != null && !sourceDateEpoch.isBlank());
  }
}
