package dev.cas.packaging;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a package was refused. Every refusal of this module is one of these, with a {@link Reason}
 * that tools map to an exit code or an HTTP status, and a message that names the entry, field or
 * key at fault and the values involved.
 */
public final class PackageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of problem refused the package. */
  public enum Reason {
    /** The file is not a readable ZIP archive. */
    NOT_A_ZIP,
    /** An entry name contains a {@code ..} segment. */
    PATH_TRAVERSAL,
    /** An entry name starts with {@code /}. */
    ABSOLUTE_PATH,
    /** An entry name starts with a drive letter such as {@code C:}. */
    DRIVE_LETTER,
    /** An entry name contains a backslash. */
    BACKSLASH,
    /** An entry name is empty, has empty or {@code .} segments, or control characters. */
    INVALID_PATH,
    /** An entry is a symbolic link or another special file. */
    SYMLINK,
    /** Two entries have the same name after NFC normalisation and case folding. */
    DUPLICATE_ENTRY,
    /** A top-level entry that the format does not define. */
    UNKNOWN_TOP_LEVEL_ENTRY,
    /** More entries than the reader's limit. */
    TOO_MANY_ENTRIES,
    /** One entry inflates past the per-entry limit. */
    ENTRY_TOO_LARGE,
    /** All entries together inflate past the total limit. */
    TOTAL_TOO_LARGE,
    /** An entry inflates more than the ratio limit allows (a ZIP bomb). */
    COMPRESSION_RATIO,
    /** An entry is encrypted or uses a compression method the reader does not support. */
    UNSUPPORTED_ENTRY,
    /** {@code checksum.sha256} is absent. */
    CHECKSUM_FILE_MISSING,
    /** {@code checksum.sha256} is not in the {@code sha256sum} text format. */
    CHECKSUM_FILE_MALFORMED,
    /** A file listed in {@code checksum.sha256} is not in the package. */
    FILE_MISSING,
    /** A file in the package is not listed in {@code checksum.sha256}. */
    FILE_UNLISTED,
    /** A file's SHA-256 differs from the one listed. */
    CHECKSUM_MISMATCH,
    /**
     * A file of an installed plugin changed, appeared or vanished on disk after install (see {@link
     * PackageReader#open}).
     */
    INSTALLED_FILE_CHANGED,
    /** The policy requires a signature and {@code signature.sig} is absent. */
    SIGNATURE_MISSING,
    /** {@code signature.sig} does not verify with the key that claims it. */
    SIGNATURE_INVALID,
    /** The signing key is not in the trust store. */
    SIGNATURE_UNTRUSTED,
    /** The algorithm the package names does not match the signing key. */
    SIGNATURE_ALGORITHM_MISMATCH,
    /** A key file is not a PEM key of a supported kind. */
    KEY_INVALID,
    /** {@code plugin.json} is absent. */
    MANIFEST_MISSING,
    /** {@code plugin.json} is not well-formed JSON. */
    MANIFEST_MALFORMED,
    /** {@code plugin.json} breaks a rule of the format. */
    MANIFEST_INVALID,
    /** {@code metadata.json} is not well-formed or breaks a rule. */
    METADATA_INVALID,
    /** {@code docs/index.json} or {@code data/export.json} is not in the format's shape. */
    CONTENT_INVALID,
    /** A file the manifest or docs index names is not in the package. */
    REFERENCED_FILE_MISSING,
    /** The host or Java version does not satisfy the manifest's range. */
    INCOMPATIBLE_HOST,
    /** A {@code @cas/*} API range is not satisfied by this host. */
    INCOMPATIBLE_API,
    /** A plugin dependency is missing or out of range. */
    DEPENDENCY_UNSATISFIED,
    /** The static security scan found a risk at or above the reader's threshold. */
    SECURITY_RISK,
    /** The package could not be read or written for a reason outside the package. */
    IO_ERROR
  }

  private final Reason reason;
  private final String path;

  /** A refusal about the package as a whole. */
  public PackageException(Reason reason, String message) {
    this(reason, null, message, null);
  }

  /** A refusal about one entry, field or key of the package. */
  public PackageException(Reason reason, String path, String message) {
    this(reason, path, message, null);
  }

  /** A refusal caused by another exception. */
  public PackageException(Reason reason, String path, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.path = path;
  }

  /** What kind of problem this is. */
  public Reason reason() {
    return reason;
  }

  /** The entry, field or key at fault, when there is one. */
  public Optional<String> path() {
    return Optional.ofNullable(path);
  }
}
