package dev.cas.server;

import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.ReadOptions;
import dev.cas.server.install.HostFolders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Package fixtures the runtime's {@code TestPlugins} does not make: a built package changed on disk
 * (a manifest field, docs, extra files) and written again by the real writer, so its checksums are
 * right; and the other import body forms of a package file.
 */
final class TestPackages {

  private TestPackages() {}

  /** A change to an unpacked plugin folder. */
  @FunctionalInterface
  interface Edit {
    void apply(Path folder) throws IOException;
  }

  /**
   * Unpacks {@code zip}, applies {@code edit} to the folder and writes the package to {@code out}.
   */
  static Path rewrite(Path zip, Path out, Edit edit) {
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
          .includeData(true)
          .build()
          .write(folder, out);
      HostFolders.deleteTree(folder);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces {@code "from"} with {@code "to"} in the folder's plugin.json. */
  static void editManifest(Path folder, String from, String to) throws IOException {
    Path manifest = folder.resolve("plugin.json");
    String text = Files.readString(manifest);
    if (!text.contains(from)) {
      throw new IllegalStateException("plugin.json has no [" + from + "]: " + text);
    }
    Files.writeString(manifest, text.replace(from, to));
  }

  /** Writes {@code {"zipData": "<base64 of zip>"}} to {@code out}, encoding while streaming. */
  static Path zipDataJson(Path zip, Path out) {
    try (OutputStream file = Files.newOutputStream(out)) {
      file.write("{\"zipData\": \"".getBytes(StandardCharsets.US_ASCII));
      // Closing the encoder writes its padding; it must not close the file, which goes on.
      OutputStream unclosable =
          new java.io.FilterOutputStream(file) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
              flush();
            }
          };
      try (OutputStream base64 = Base64.getEncoder().wrap(unclosable);
          InputStream in = Files.newInputStream(zip)) {
        in.transferTo(base64);
      }
      file.write("\"}".getBytes(StandardCharsets.US_ASCII));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every entry of a ZIP (in file order) with its bytes. */
  static Map<String, byte[]> entries(byte[] zip) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
