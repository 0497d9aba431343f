package dev.cas.packaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.Optional;

/**
 * The contents of {@code metadata.json}: who made a package, where, when and how. It is covered by
 * the checksums, so the signing key id it names is signed too.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record Metadata(
    int formatVersion,
    String createdAt,
    String createdBy,
    String tool,
    SourceSystem sourceSystem,
    boolean includesSource,
    boolean includesCompiledCode,
    boolean includesData,
    Optional<Signing> signing) {

  /** The only format version this code reads and writes. */
  public static final int FORMAT_VERSION = 1;

  public Metadata {
    Objects.requireNonNull(createdAt, "createdAt");
    createdBy = createdBy == null ? "" : createdBy;
    tool = tool == null ? "" : tool;
    sourceSystem = sourceSystem == null ? new SourceSystem("", "", "", "") : sourceSystem;
    signing = signing == null ? Optional.empty() : signing;
  }

  /** A copy naming the key that signs the package. */
  public Metadata withSigning(Optional<Signing> newSigning) {
    return new Metadata(
        formatVersion,
        createdAt,
        createdBy,
        tool,
        sourceSystem,
        includesSource,
        includesCompiledCode,
        includesData,
        newSigning);
  }

  /** The system a package was made on. */
  public record SourceSystem(String instanceId, String casVersion, String javaVersion, String os) {}

  /**
   * Which key signed the package.
   *
   * @param algorithm {@code SHA256withRSA} or {@code Ed25519}
   * @param keyId {@code sha256:<hex of the public key's DER>}
   */
  public record Signing(String algorithm, String keyId) {
    public Signing {
      // A package naming no key or algorithm is invalid metadata, not a reader failure.
      Objects.requireNonNull(algorithm, "signing.algorithm");
      Objects.requireNonNull(keyId, "signing.keyId");
    }
  }
}
