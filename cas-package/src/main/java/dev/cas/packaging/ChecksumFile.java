package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contents of {@code checksum.sha256}: one SHA-256 digest per file, in the text format of GNU
 * {@code sha256sum}, so that {@code sha256sum -c checksum.sha256} checks an unzipped package.
 *
 * @param entries digests and paths, sorted by the paths' UTF-8 bytes
 */
public record ChecksumFile(List<Entry> entries) {

  /** The order FORMAT.md prescribes: by the path's UTF-8 bytes, as {@code LC_ALL=C sort} does. */
  public static final Comparator<String> PATH_ORDER =
      (a, b) ->
          java.util.Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](?:\\./)?(.+)");
  private static final HexFormat HEX = HexFormat.of();

  /**
   * One line of the file.
   *
   * @param sha256 64 lowercase hex digits
   * @param path the file's path in the package
   */
  public record Entry(String sha256, String path) {
    public Entry {
      Objects.requireNonNull(sha256, "sha256");
      Objects.requireNonNull(path, "path");
    }
  }

  public ChecksumFile {
    entries = entries.stream().sorted(Comparator.comparing(Entry::path, PATH_ORDER)).toList();
  }

  /** Digests the given files under {@code root}. */
  public static ChecksumFile compute(Path root, List<String> paths) {
    return new ChecksumFile(
        paths.stream().map(p -> new Entry(sha256(root.resolve(p)), p)).toList());
  }

  /**
   * Reads the file. Written files are sorted with two spaces; when reading, the order of lines, a
   * {@code *} binary marker and a leading {@code ./} are tolerated, since a package assembled by
   * hand with {@code sha256sum} and a locale-sorted file list has them.
   */
  public static ChecksumFile parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw malformed("it does not end with a newline");
    }
    Map<String, Entry> byPath = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      Matcher m = LINE.matcher(lines[i]);
      if (!m.matches()) {
        throw malformed("line " + (i + 1) + " is not '<64 hex digits>  <path>'");
      }
      String path = m.group(2);
      if (byPath.put(path, new Entry(m.group(1).toLowerCase(java.util.Locale.ROOT), path))
          != null) {
        throw malformed("line " + (i + 1) + " lists [" + path + "] a second time");
      }
    }
    if (byPath.isEmpty()) {
      throw malformed("it lists no files");
    }
    return new ChecksumFile(List.copyOf(byPath.values()));
  }

  /** The file's bytes: sorted lines, two spaces, {@code \n} line ends, a final newline. */
  public byte[] toBytes() {
    StringBuilder out = new StringBuilder();
    for (Entry e : entries) {
      out.append(e.sha256()).append("  ").append(e.path()).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks the files under {@code root} against this list.
   *
   * <p>Threat: a file added to, removed from or changed in a package after it was made. Paths are
   * compared in order, and the first offending path is named.
   *
   * @param files every file of the package, without {@code checksum.sha256} and {@code
   *     signature.sig}
   */
  public void verify(Path root, List<String> files) {
    verify(files, path -> sha256(root.resolve(path)));
  }

  /**
   * Checks files whose digests are already known (computed while they were extracted) against this
   * list, with the same checks and messages as {@link #verify(Path, List)}.
   *
   * @param files every file of the package, without {@code checksum.sha256} and {@code
   *     signature.sig}
   * @param sha256Of the SHA-256 of each of them, in lowercase hex
   */
  void verify(List<String> files, java.util.function.Function<String, String> sha256Of) {
    Map<String, String> listed = new HashMap<>();
    entries.forEach(e -> listed.put(e.path(), e.sha256()));
    TreeSet<String> all = new TreeSet<>(PATH_ORDER);
    all.addAll(listed.keySet());
    all.addAll(files);
    java.util.Set<String> present = new java.util.HashSet<>(files);
    for (String path : all) {
      String expected = listed.get(path);
      if (expected == null) {
        throw new PackageException(
            Reason.FILE_UNLISTED, path, "file [" + path + "] is not listed in checksum.sha256");
      }
      if (!present.contains(path)) {
        throw new PackageException(
            Reason.FILE_MISSING,
            path,
            "file [" + path + "] is listed in checksum.sha256 but missing from the package");
      }
      String actual = sha256Of.apply(path);
      if (!actual.equals(expected)) {
        throw new PackageException(
            Reason.CHECKSUM_MISMATCH,
            path,
            "checksum mismatch for ["
                + path
                + "]: expected ["
                + expected
                + "] but was ["
                + actual
                + "]");
      }
    }
  }

  /** The SHA-256 of a file's bytes, in lowercase hex. */
  public static String sha256(Path file) {
    MessageDigest digest = newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new PackageException(Reason.IO_ERROR, file.toString(), "cannot read [" + file + "]", e);
    }
    return HEX.formatHex(digest.digest());
  }

  /** The SHA-256 of bytes, in lowercase hex. */
  public static String sha256(byte[] bytes) {
    return HEX.formatHex(newDigest().digest(bytes));
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static PackageException malformed(String why) {
    return new PackageException(
        Reason.CHECKSUM_FILE_MALFORMED,
        PackageLayout.CHECKSUMS,
        "checksum.sha256 is malformed: " + why);
  }
}
