package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * The names FORMAT.md gives to a package's parts, and the rules every path inside a package obeys.
 * Both the reader and the writer check paths here, so a package the writer accepts is one the
 * reader accepts.
 */
final class PackageLayout {

  static final String MANIFEST = "plugin.json";
  static final String METADATA = "metadata.json";
  static final String README = "README.md";
  static final String CHECKSUMS = "checksum.sha256";
  static final String SIGNATURE = "signature.sig";
  static final String DOCS_INDEX = "docs/index.json";
  static final String DATA_EXPORT = "data/export.json";
  static final String MIGRATIONS_DIR = "backend/migrations/";
  static final String FRONTEND_DIST = "frontend/dist/";

  /** Files allowed at the top level. */
  static final Set<String> TOP_LEVEL_FILES =
      Set.of(MANIFEST, METADATA, README, CHECKSUMS, SIGNATURE);

  /** Folders allowed at the top level. */
  static final Set<String> TOP_LEVEL_DIRS = Set.of("backend", "frontend", "docs", "data", "tests");

  private PackageLayout() {}

  /**
   * Refuses a path that could escape the extraction folder or that the format does not allow.
   *
   * <p>Threat: an entry named {@code ../../etc/cron.d/x}, {@code /etc/passwd}, {@code C:\x} or
   * {@code a\..\..\x} written outside the target folder ("zip slip").
   *
   * @param name the entry name; a trailing {@code /} marks a folder
   */
  static void checkPath(String name) {
    if (name.isEmpty()) {
      throw new PackageException(Reason.INVALID_PATH, name, "empty entry name");
    }
    if (name.indexOf('\\') >= 0) {
      throw new PackageException(
          Reason.BACKSLASH, name, "entry [" + name + "] contains a backslash");
    }
    if (name.startsWith("/")) {
      throw new PackageException(
          Reason.ABSOLUTE_PATH, name, "entry [" + name + "] is an absolute path");
    }
    if (name.length() >= 2 && Character.isLetter(name.charAt(0)) && name.charAt(1) == ':') {
      throw new PackageException(
          Reason.DRIVE_LETTER, name, "entry [" + name + "] starts with a drive letter");
    }
    String body = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    for (String segment : body.split("/", -1)) {
      if (segment.equals("..")) {
        throw new PackageException(
            Reason.PATH_TRAVERSAL, name, "entry [" + name + "] contains a [..] segment");
      }
      if (segment.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
        throw new PackageException(
            Reason.INVALID_PATH,
            name,
            "entry ["
                + name
                + "] has a segment longer than 255 bytes, more than file systems hold");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        throw new PackageException(
            Reason.INVALID_PATH, name, "entry [" + name + "] has an empty or [.] segment");
      }
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new PackageException(
            Reason.INVALID_PATH, name, "entry [" + name + "] contains a control character");
      }
    }
    checkTopLevel(name);
  }

  private static void checkTopLevel(String name) {
    int slash = name.indexOf('/');
    boolean allowed =
        slash < 0
            ? TOP_LEVEL_FILES.contains(name)
            : TOP_LEVEL_DIRS.contains(name.substring(0, slash));
    if (!allowed) {
      throw new PackageException(
          Reason.UNKNOWN_TOP_LEVEL_ENTRY,
          name,
          "entry ["
              + name
              + "] is not allowed at the top level; allowed files "
              + sorted(TOP_LEVEL_FILES)
              + ", folders "
              + sorted(TOP_LEVEL_DIRS));
    }
  }

  /**
   * The key under which two names count as the same file: NFC-normalised and case-folded, so that
   * {@code README.md} and {@code readme.MD}, or composed and decomposed accents, collide on every
   * file system the package may be extracted to.
   */
  static String identityKey(String name) {
    String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
    return nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
  }

  private static String sorted(Set<String> names) {
    return names.stream().sorted().toList().toString();
  }
}
