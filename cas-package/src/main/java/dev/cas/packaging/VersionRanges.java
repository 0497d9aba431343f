package dev.cas.packaging;

import java.util.Optional;
import org.semver4j.Semver;
import org.semver4j.range.RangeList;
import org.semver4j.range.RangeListFactory;

/**
 * Semantic versions and npm-style ranges ({@code ^1.2.0}, {@code ~1.2}, {@code 1.x}, {@code >=a
 * <b}, {@code a - b}, {@code ||}), through semver4j.
 */
public final class VersionRanges {

  private VersionRanges() {}

  /** Parses a range; empty when the text is not a range semver4j understands. */
  public static Optional<RangeList> parseRange(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    RangeList list = RangeListFactory.create(text.trim());
    return list.get().isEmpty() ? Optional.empty() : Optional.of(list);
  }

  /** Whether {@code text} is a usable range. */
  public static boolean isRange(String text) {
    return parseRange(text).isPresent();
  }

  /**
   * Whether a version satisfies a range. A version with a pre-release tag ({@code 1.2.0-SNAPSHOT})
   * is compared as its release, as FORMAT.md prescribes for host versions; partial versions such as
   * a Java feature version {@code 21} are read as {@code 21.0.0}.
   */
  public static boolean satisfies(String version, String range) {
    Semver parsed = Semver.parse(version);
    if (parsed == null) {
      parsed = Semver.coerce(version);
    }
    if (parsed == null) {
      return false;
    }
    Semver release = parsed.withClearedPreRelease();
    return parseRange(range).map(release::satisfies).orElse(false);
  }
}
