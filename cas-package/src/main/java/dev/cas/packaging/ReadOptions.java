package dev.cas.packaging;

import java.util.Objects;

/**
 * How a {@link PackageReader} judges a package.
 *
 * @param limits extraction limits
 * @param strictManifest whether unknown manifest fields and permissions refuse the package
 * @param signaturePolicy what is demanded of the signature
 * @param trust the keys whose signatures are accepted
 */
public record ReadOptions(
    Limits limits, boolean strictManifest, SignaturePolicy signaturePolicy, TrustStore trust) {

  public ReadOptions {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(signaturePolicy, "signaturePolicy");
    Objects.requireNonNull(trust, "trust");
  }

  /** Default limits, lenient manifest, signatures not checked. */
  public static ReadOptions defaults() {
    return new ReadOptions(Limits.defaults(), false, SignaturePolicy.OFF, TrustStore.empty());
  }

  /** A copy with another signature policy and trust store. */
  public ReadOptions withSignatures(SignaturePolicy policy, TrustStore trustStore) {
    return new ReadOptions(limits, strictManifest, policy, trustStore);
  }

  /** A copy with strict or lenient manifest validation. */
  public ReadOptions withStrictManifest(boolean strict) {
    return new ReadOptions(limits, strict, signaturePolicy, trust);
  }

  /** A copy with other limits. */
  public ReadOptions withLimits(Limits newLimits) {
    return new ReadOptions(newLimits, strictManifest, signaturePolicy, trust);
  }
}
