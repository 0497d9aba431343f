package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {

  private static final Instant FIXED = Instant.parse("2026-11-01T10:00:00Z");

  @TempDir Path tmp;

  @Test
  void writtenPackageReadsBackWithTheSameManifestAndFiles() throws Exception {
    Path dir = PluginFolders.create(tmp.resolve("src"));
    PackageWriter.Result written =
        PackageWriter.builder()
            .createdAt(FIXED)
            .includeData(true)
            .build()
            .write(dir, tmp.resolve("p.zip"));

    PluginPackage read =
        PackageReader.create(ReadOptions.defaults()).read(written.zip(), tmp.resolve("out"));

    assertThat(read.manifest()).isEqualTo(written.manifest());
    assertThat(read.files()).isEqualTo(written.files());
    assertThat(read.manifest().database().schema()).contains("plugin_text_block");
    assertThat(read.metadata().orElseThrow().createdAt()).isEqualTo("2026-11-01T10:00:00Z");
    // data/export.json carries configuration only: no table rows, so no data.
    assertThat(read.metadata().orElseThrow().includesData()).isFalse();
    assertThat(Files.readString(read.file("backend/migrations/001_create_blocks.sql")))
        .startsWith("CREATE TABLE text_blocks");
    assertThat(Files.readString(read.file("README.md"))).contains("# Text block", "`text-block`");
  }

  @Test
  void includesDataSaysWhetherTableRowsTravel() throws Exception {
    Path dir = PluginFolders.create(tmp.resolve("rows"));
    Files.writeString(
        dir.resolve("data/export.json"),
        "{\"config\":{},\"records\":{\"text_blocks\":[{\"id\":1,\"user_id\":\"ada\"}]}}");
    PackageWriter.Result withRows =
        PackageWriter.builder()
            .createdAt(FIXED)
            .includeData(true)
            .build()
            .write(dir, tmp.resolve("rows.zip"));
    assertThat(
            PackageReader.create(ReadOptions.defaults())
                .read(withRows.zip(), tmp.resolve("rows-out"))
                .metadata()
                .orElseThrow()
                .includesData())
        .isTrue();
  }

  @Test
  void writingTwiceGivesByteIdenticalPackages() throws Exception {
    Path dir = PluginFolders.create(tmp.resolve("src"));
    KeyPair pair = PemKeys.generate(SignatureAlgorithm.ED25519, 0);
    PackageWriter writer =
        PackageWriter.builder().createdAt(FIXED).signWith(pair.getPrivate()).build();

    Path first = writer.write(dir, tmp.resolve("a.zip")).zip();
    Files.setLastModifiedTime(
        dir.resolve("plugin.json"), java.nio.file.attribute.FileTime.from(Instant.now()));
    Path second = writer.write(dir, tmp.resolve("b.zip")).zip();

    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
  }

  @Test
  void signedPackageVerifiesWithTrustedKey() {
    Path dir = PluginFolders.create(tmp.resolve("src"));
    KeyPair pair = PemKeys.generate(SignatureAlgorithm.RSA_SHA256, 2048);
    PackageWriter.Result written =
        PackageWriter.builder()
            .signWith(pair.getPrivate())
            .build()
            .write(dir, tmp.resolve("p.zip"));

    PluginPackage read =
        PackageReader.create(
                ReadOptions.defaults()
                    .withSignatures(
                        SignaturePolicy.REQUIRED,
                        TrustStore.of(java.util.List.of(pair.getPublic()))))
            .read(written.zip(), tmp.resolve("out"));

    assertThat(read.signerKeyId()).contains(PemKeys.keyId(pair.getPublic()));
    assertThat(written.signerKeyId()).isEqualTo(read.signerKeyId());
  }
}
