package dev.cas.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/** Writes the fixture plugin as packages and takes packages apart, for tests that alter them. */
final class Packages {

  static final Instant FIXED = Instant.parse("2026-11-01T10:00:00Z");

  private Packages() {}

  /** A writer with every input fixed, so its output depends on the plugin folder only. */
  static PackageWriter.Builder writer() {
    return PackageWriter.builder()
        .createdAt(FIXED)
        .createdBy("test")
        .tool("cas-test 1.0.0")
        .sourceSystem(new Metadata.SourceSystem("test-instance", "1.0.0", "25", "Linux amd64"))
        .includeData(true);
  }

  /** The fixture plugin of {@link PluginFolders}, packaged unsigned under {@code tmp}. */
  static Path valid(Path tmp) {
    Path dir = PluginFolders.create(tmp.resolve("fixture-src"));
    return writer().build().write(dir, tmp.resolve("fixture.zip")).zip();
  }

  /** The fixture plugin packaged and signed with {@code key}. */
  static Path signed(Path tmp, PrivateKey key) {
    Path dir = PluginFolders.create(tmp.resolve("fixture-src"));
    return writer().signWith(key).build().write(dir, tmp.resolve("fixture-signed.zip")).zip();
  }

  /** A package's entries and their bytes, in the archive's physical order. */
  static Map<String, byte[]> entries(Path zip) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
      for (ZipArchiveEntry e : Collections.list(file.getEntriesInPhysicalOrder())) {
        try (var in = file.getInputStream(e)) {
          out.put(e.getName(), in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The files with {@code checksum.sha256} made anew over every other file and {@code
   * signature.sig} dropped: what an attacker who alters a package without the key can produce.
   */
  static Map<String, byte[]> rechecksummed(Map<String, byte[]> files) {
    Map<String, byte[]> out = new LinkedHashMap<>(files);
    out.remove(PackageLayout.SIGNATURE);
    out.put(PackageLayout.CHECKSUMS, checksums(out));
    return out;
  }

  /** The files with new checksums and a new signature by {@code key}. */
  static Map<String, byte[]> resigned(Map<String, byte[]> files, PrivateKey key) {
    Map<String, byte[]> out = rechecksummed(files);
    out.put(PackageLayout.SIGNATURE, SignatureVerifier.sign(out.get(PackageLayout.CHECKSUMS), key));
    return out;
  }

  static byte[] checksums(Map<String, byte[]> files) {
    return new ChecksumFile(
            files.entrySet().stream()
                .filter(e -> !e.getKey().equals(PackageLayout.CHECKSUMS))
                .filter(e -> !e.getKey().equals(PackageLayout.SIGNATURE))
                .map(e -> new ChecksumFile.Entry(ChecksumFile.sha256(e.getValue()), e.getKey()))
                .toList())
        .toBytes();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
