package dev.cas.web;

import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.ReadOptions;
import dev.cas.testkit.TestHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The fixtures of the browser tests: a host that trusts the build's development key (so the sample
 * packages show a trusted signer), the sample package this build made, and packages changed from it
 * (tampered bytes, hostile text).
 */
final class PageHosts {

  private PageHosts() {}

  /** text-block's signed package, as {@code mvn package} wrote it (failsafe passes its path). */
  static Path textBlockZip() {
    return existing("text-block.zip");
  }

  /** ldap-auth's signed package (a sandbox with network hosts, a secret setting). */
  static Path ldapAuthZip() {
    return existing("ldap-auth.zip");
  }

  /** rag-retrieval's signed package (a frontend page for every signed-in user). */
  static Path ragRetrievalZip() {
    return existing("rag-retrieval.zip");
  }

  private static Path existing(String property) {
    String value = System.getProperty(property);
    if (value == null || !Files.isRegularFile(Path.of(value))) {
      throw new IllegalStateException(
          "system property "
              + property
              + " must name a file the build made; run with mvn verify (was ["
              + value
              + "])");
    }
    return Path.of(value);
  }

  /**
   * A host on a fresh embedded database that checks signatures when present and trusts the build's
   * development key.
   */
  static TestHost start(Path dir) {
    try {
      Path trust = Files.createDirectories(dir.resolve("trust"));
      Files.copy(existing("dev.public.key"), trust.resolve("dev.pem"));
      return TestHost.start(
          dir.resolve("data"),
          TestHost.freshEmbeddedDatabase(),
          Map.of("CAS_SIGNATURE_POLICY", "if-present", "CAS_TRUST_DIR", trust.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of the package with one file's bytes changed and its checksums left as they were. */
  static Path tampered(Path zip, String entry, Path out) {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
        ZipOutputStream o = new ZipOutputStream(Files.newOutputStream(out))) {
      boolean found = false;
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (e.getName().equals(entry)) {
          bytes =
              (new String(bytes, StandardCharsets.UTF_8) + "\nchanged after signing\n")
                  .getBytes(StandardCharsets.UTF_8);
          found = true;
        }
        o.putNextEntry(new ZipEntry(e.getName()));
        o.write(bytes);
        o.closeEntry();
      }
      if (!found) {
        throw new IllegalStateException("package [" + zip + "] has no entry [" + entry + "]");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A change to an unpacked package folder. */
  @FunctionalInterface
  interface Edit {
    void apply(Path folder) throws IOException;
  }

  /**
   * Unpacks the package, applies the edit and writes it again with fresh checksums (unsigned): a
   * package an author could make.
   */
  static Path rewritten(Path zip, Path out, Edit edit) {
    Path folder = out.resolveSibling(out.getFileName() + ".d");
    try {
      PackageReader.create(ReadOptions.defaults()).read(zip, folder);
      for (String generated :
          List.of("metadata.json", "checksum.sha256", "signature.sig", "README.md")) {
        Files.deleteIfExists(folder.resolve(generated));
      }
      edit.apply(folder);
      PackageWriter.builder()
          .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
          .build()
          .write(folder, out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every entry of a ZIP file with its bytes, in file order. */
  static Map<String, byte[]> entries(Path zip) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (!e.isDirectory()) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          in.transferTo(b);
          out.put(e.getName(), b.toByteArray());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
