package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * Extracts a ZIP into an empty folder, refusing anything that could write outside it or exhaust the
 * machine. Entry names are checked by {@link PackageLayout#checkPath}; sizes and ratios are counted
 * on the bytes actually inflated.
 */
final class SafeExtractor {

  private static final int BUFFER = 64 * 1024;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;

  /** Compression methods read: those commons-compress decodes without optional libraries. */
  private static final Set<Integer> METHODS =
      Set.of(
          ZipArchiveEntry.STORED,
          ZipArchiveEntry.DEFLATED,
          ZipMethod.ENHANCED_DEFLATED.getCode(),
          ZipMethod.BZIP2.getCode());

  private final Limits limits;

  SafeExtractor(Limits limits) {
    this.limits = limits;
  }

  /**
   * What an extraction wrote.
   *
   * @param files the files extracted (folders excluded), as package paths
   * @param sha256 each file's SHA-256 (lowercase hex), computed on the bytes as they were written
   */
  record Extraction(List<PackageFile> files, Map<String, String> sha256) {
    Extraction {
      files = List.copyOf(files);
      sha256 = Map.copyOf(sha256);
    }
  }

  /**
   * Extracts {@code zip} into {@code target}, which must be empty or absent, digesting each file on
   * the way so that verifying the checksums needs no second read.
   */
  Extraction extract(Path zip, Path target) {
    Path root = prepareTarget(target);
    try (ZipFile zipFile = open(zip)) {
      List<ZipArchiveEntry> entries = Collections.list(zipFile.getEntriesInPhysicalOrder());
      checkEntryCount(entries.size());
      checkNames(entries);
      List<PackageFile> files = new ArrayList<>();
      Map<String, String> digests = new HashMap<>();
      MessageDigest digest = ChecksumFile.newDigest();
      long total = 0;
      for (ZipArchiveEntry entry : entries) {
        if (entry.isDirectory()) {
          Files.createDirectories(resolveInside(root, entry.getName()));
          continue;
        }
        long written = inflate(zipFile, entry, root, total, digest);
        total += written;
        files.add(new PackageFile(entry.getName(), written));
        digests.put(entry.getName(), HexFormat.of().formatHex(digest.digest()));
      }
      return new Extraction(files, digests);
    } catch (IOException e) {
      throw new PackageException(
          Reason.NOT_A_ZIP, null, "cannot read [" + zip.getFileName() + "] as a ZIP: " + e, e);
    }
  }

  private static ZipFile open(Path zip) throws IOException {
    if (!Files.isRegularFile(zip)) {
      throw new PackageException(Reason.IO_ERROR, zip.toString(), "no such file [" + zip + "]");
    }
    return ZipFile.builder().setPath(zip).setUseUnicodeExtraFields(false).get();
  }

  static Path prepareTarget(Path target) {
    try {
      Files.createDirectories(target);
      try (var children = Files.list(target)) {
        if (children.findAny().isPresent()) {
          throw new PackageException(
              Reason.IO_ERROR,
              target.toString(),
              "extraction folder [" + target + "] is not empty");
        }
      }
      return target.toRealPath();
    } catch (IOException e) {
      throw new PackageException(
          Reason.IO_ERROR, target.toString(), "cannot prepare folder [" + target + "]: " + e, e);
    }
  }

  /** Threat: millions of tiny entries exhausting inodes or file handles. */
  private void checkEntryCount(int count) {
    if (count > limits.maxEntries()) {
      throw new PackageException(
          Reason.TOO_MANY_ENTRIES,
          "archive has " + count + " entries; the limit is " + limits.maxEntries());
    }
  }

  /**
   * Threats: traversal and absolute names, symbolic links pointing outside, and two names that
   * collide on a case-insensitive or normalising file system so the second overwrites the first
   * after the first was checked.
   */
  private static void checkNames(List<ZipArchiveEntry> entries) {
    Map<String, String> seen = new HashMap<>();
    Map<String, String> folders = new HashMap<>();
    for (ZipArchiveEntry entry : entries) {
      String name = entry.getName();
      PackageLayout.checkPath(name);
      checkFileType(entry);
      String key = PackageLayout.identityKey(stripSlash(name));
      if (entry.isDirectory()) {
        String previous = seen.get(key);
        if (previous != null) {
          throw duplicate(name, previous);
        }
        folders.putIfAbsent(key, name);
        continue;
      }
      String previous = seen.putIfAbsent(key, name);
      if (previous == null) {
        previous = folders.get(key);
      }
      if (previous != null) {
        throw duplicate(name, previous);
      }
      // Each parent of a file is a folder: a file of that name elsewhere is a collision.
      String parent = name;
      int slash;
      while ((slash = parent.lastIndexOf('/')) > 0) {
        parent = parent.substring(0, slash);
        String parentKey = PackageLayout.identityKey(parent);
        String clash = seen.get(parentKey);
        if (clash != null) {
          throw duplicate(name, clash);
        }
        folders.putIfAbsent(parentKey, parent + "/");
      }
    }
  }

  private static void checkFileType(ZipArchiveEntry entry) {
    if (entry.isUnixSymlink()) {
      throw new PackageException(
          Reason.SYMLINK, entry.getName(), "entry [" + entry.getName() + "] is a symbolic link");
    }
    if (entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX) {
      int type = entry.getUnixMode() & S_IFMT;
      if (type != 0 && type != S_IFREG && type != S_IFDIR) {
        throw new PackageException(
            Reason.SYMLINK,
            entry.getName(),
            "entry ["
                + entry.getName()
                + "] is a special file (mode "
                + Integer.toOctalString(type)
                + "), not a regular file or folder");
      }
    }
  }

  private static PackageException duplicate(String name, String previous) {
    return new PackageException(
        Reason.DUPLICATE_ENTRY,
        name,
        "entry ["
            + name
            + "] collides with ["
            + previous
            + "] (names compared after NFC"
            + " normalisation and case folding)");
  }

  /**
   * Threat: a ZIP bomb. Sizes declared in the archive are ignored; the bytes actually inflated are
   * counted, and inflation stops as soon as a limit is passed.
   */
  private long inflate(
      ZipFile zipFile, ZipArchiveEntry entry, Path root, long totalSoFar, MessageDigest digest)
      throws IOException {
    String name = entry.getName();
    // Threat: a method whose decoder needs an optional library (zstd, xz) fails with an Error
    // rather than an IOException, and rare decoders add attack surface; zip and the writer use
    // stored and deflated entries.
    if (!zipFile.canReadEntryData(entry) || !METHODS.contains(entry.getMethod())) {
      throw new PackageException(
          Reason.UNSUPPORTED_ENTRY,
          name,
          "entry [" + name + "] is encrypted or uses an unsupported compression method");
    }
    Path out = resolveInside(root, name);
    Files.createDirectories(out.getParent());
    long count = 0;
    try (InputStream in = zipFile.getInputStream(entry);
        OutputStream os =
            Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        count += n;
        checkSizes(name, count, totalSoFar + count);
        checkRatio(name, count, compressedCount(in, entry));
        os.write(buffer, 0, n);
        digest.update(buffer, 0, n);
      }
    } catch (FileAlreadyExistsException e) {
      throw duplicate(name, name);
    }
    return count;
  }

  private void checkSizes(String name, long entryBytes, long totalBytes) {
    if (entryBytes > limits.maxEntryBytes()) {
      throw new PackageException(
          Reason.ENTRY_TOO_LARGE,
          name,
          "entry [" + name + "] inflates past the limit of " + limits.maxEntryBytes() + " bytes");
    }
    if (totalBytes > limits.maxTotalBytes()) {
      throw new PackageException(
          Reason.TOTAL_TOO_LARGE,
          name,
          "archive inflates past the total limit of "
              + limits.maxTotalBytes()
              + " bytes at entry ["
              + name
              + "]");
    }
  }

  private void checkRatio(String name, long inflated, long compressed) {
    if (inflated < limits.ratioGraceBytes()) {
      return;
    }
    if (inflated > (long) limits.maxRatio() * Math.max(compressed, 1)) {
      throw new PackageException(
          Reason.COMPRESSION_RATIO,
          name,
          "entry ["
              + name
              + "] inflated "
              + inflated
              + " bytes from "
              + compressed
              + " compressed bytes, over the limit of "
              + limits.maxRatio()
              + ":1");
    }
  }

  private static long compressedCount(InputStream in, ZipArchiveEntry entry) {
    if (in instanceof InputStreamStatistics statistics) {
      return statistics.getCompressedCount();
    }
    // Stored entries are read byte for byte (ratio 1:1); for any other method without counters,
    // the declared compressed size is the best available figure.
    return entry.getMethod() == ZipArchiveEntry.STORED
        ? Long.MAX_VALUE / 1024
        : Math.max(entry.getCompressedSize(), 1);
  }

  /** A second guard behind {@link PackageLayout#checkPath}: the resolved path stays in root. */
  private static Path resolveInside(Path root, String name) {
    Path resolved = root.resolve(stripSlash(name)).normalize();
    if (!resolved.startsWith(root)) {
      throw new PackageException(
          Reason.PATH_TRAVERSAL, name, "entry [" + name + "] resolves outside the target folder");
    }
    return resolved;
  }

  private static String stripSlash(String name) {
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }
}
