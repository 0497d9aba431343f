package dev.cas.packaging;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing the static scan noticed.
 *
 * @param risk how dangerous it is
 * @param category what kind of capability, e.g. {@code process}, {@code network}, {@code secret}
 * @param location where: {@code class#method:line} for code, the path for resources
 * @param detail what exactly, e.g. the called method
 */
public record SecurityFinding(Risk risk, String category, String location, String detail) {

  /** Risk levels, in order. */
  public enum Risk {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** Parses {@code low}, {@code medium}, {@code high} or {@code critical}. */
    public static Risk parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "risk [" + text + "] is not one of low, medium, high, critical");
      }
    }
  }

  public SecurityFinding {
    Objects.requireNonNull(risk, "risk");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(detail, "detail");
  }

  /** One line for people: {@code [HIGH] network at a.B#run:12 — java.net.Socket.<init>}. */
  public String describe() {
    return "[" + risk + "] " + category + " at " + location + " - " + detail;
  }
}
