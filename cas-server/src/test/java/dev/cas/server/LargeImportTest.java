package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At least 100 MiB of package are accepted, as a raw ZIP and as base64 in {@code zipData}, and the
 * host does not keep the upload on its heap afterwards. The package is incompressible (random bytes
 * in backend/src), so the ZIP really is that large on the wire.
 */
class LargeImportTest {

  private static final long MIB = 1024L * 1024L;

  @TempDir Path tmp;

  @Test
  void aPackageOfOver100MiBIsAcceptedAsRawZipAndAsZipData() throws IOException {
    Path small = new TestPlugins(tmp.resolve("build")).buildZip(TestPlugins.simple("big-upload"));
    // Two files, since one entry may inflate to at most 100 MiB (FORMAT.md's limit).
    Path zip =
        TestPackages.rewrite(
            small,
            tmp.resolve("big-upload.zip"),
            folder -> {
              Files.createDirectories(folder.resolve("backend/src"));
              randomFile(folder.resolve("backend/src/blob-1.bin"), 51 * MIB, 1);
              randomFile(folder.resolve("backend/src/blob-2.bin"), 51 * MIB, 2);
            });
    assertThat(Files.size(zip)).isGreaterThan(100 * MIB);
    Path json = TestPackages.zipDataJson(zip, tmp.resolve("big-upload.json"));

    try (TestHost host = TestHost.embedded(tmp.resolve("host"))) {
      long heapBefore = usedHeapAfterGc();

      TestHost.Response raw =
          host.sendFile("POST", "/api/plugins/import", host.adminToken, "application/zip", zip);
      assertThat(raw.status()).as(raw.text()).isEqualTo(201);
      assertThat(host.get("/api/plugins/big-upload").data().get("state").asString())
          .isEqualTo("active");
      assertThat(usedHeapAfterGc() - heapBefore)
          .as("heap kept after the raw upload")
          .isLessThan(40 * MIB);

      assertThat(host.delete("/api/plugins/big-upload?purgeData=true").status()).isEqualTo(200);

      TestHost.Response base64 =
          host.sendFile("POST", "/api/plugins/import", host.adminToken, "application/json", json);
      assertThat(base64.status()).as(base64.text()).isEqualTo(201);
      assertThat(host.get("/api/plugins/big-upload").data().get("state").asString())
          .isEqualTo("active");
      assertThat(usedHeapAfterGc() - heapBefore)
          .as("heap kept after the zipData upload")
          .isLessThan(40 * MIB);

      // The stored package is the uploaded one, byte for byte.
      byte[] stored = host.server.host().store().packageBytes("big-upload").orElseThrow();
      assertThat(dev.cas.packaging.ChecksumFile.sha256(stored))
          .isEqualTo(dev.cas.packaging.ChecksumFile.sha256(zip));
    }
  }

  private static void randomFile(Path file, long size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = new byte[1024 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block);
      }
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
