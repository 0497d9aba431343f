package dev.cas.packaging;

import java.util.Locale;

/** What a reader demands of a package's signature. */
public enum SignaturePolicy {
  /** A signature by a trusted key must be present and verify. */
  REQUIRED,
  /** An unsigned package is accepted; a signed one must verify with a trusted key. */
  IF_PRESENT,
  /** Signatures are not checked. */
  OFF;

  /** Parses {@code required}, {@code if-present} or {@code off}. */
  public static SignaturePolicy parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "required" -> REQUIRED;
      case "if-present", "if_present" -> IF_PRESENT;
      case "off" -> OFF;
      default ->
          throw new IllegalArgumentException(
              "signature policy [" + text + "] is not one of [required, if-present, off]");
    };
  }
}
