package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FORMAT.md's promise both ways: a package made by hand with {@code zip}, {@code sha256sum} and
 * {@code openssl} imports, and a package this module writes passes {@code unzip}, {@code sha256sum
 * -c} and {@code openssl} verification.
 */
class SystemToolsInteropTest {

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}, metadata.json naming the key: {1}")
  @CsvSource({"RSA_SHA256, true", "ED25519, true", "RSA_SHA256, false", "ED25519, false"})
  void packageMadeWithShellToolsImportsUnderRequiredSignatures(
      SignatureAlgorithm algorithm, boolean namedKey) {
    PluginFolders.create(tmp.resolve("pkg"));
    generateKeyWithOpenssl(algorithm);
    String metadata =
        namedKey
            ? "KEYID=$(openssl pkey -pubin -in ../pub.pem -outform DER | sha256sum | cut -c1-64)\n"
                + "printf '{\"formatVersion\":1,\"createdAt\":\"2026-11-01T10:00:00Z\",\"createdBy\":\"shell\","
                + "\"tool\":\"zip\",\"signing\":{\"algorithm\":\"%s\",\"keyId\":\"sha256:%s\"}}\\n' '"
                + algorithm.jcaName()
                + "' \"$KEYID\" > metadata.json\n"
            : "";
    String sign =
        algorithm == SignatureAlgorithm.RSA_SHA256
            ? "openssl dgst -sha256 -sign ../key.pem -out signature.sig checksum.sha256\n"
            : "openssl pkeyutl -sign -rawin -inkey ../key.pem -in checksum.sha256 -out signature.sig\n";
    Tools.sh(
        tmp.resolve("pkg"),
        metadata
            + "find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > ../checksum.sha256\n"
            + "mv ../checksum.sha256 checksum.sha256\n"
            + sign
            + "zip -q -r ../hand-made.zip .\n");
    PublicKey publicKey = PemKeys.readPublic(tmp.resolve("pub.pem"));
    ReadOptions required =
        ReadOptions.defaults()
            .withSignatures(SignaturePolicy.REQUIRED, TrustStore.of(List.of(publicKey)));

    PluginPackage read =
        PackageReader.create(required).read(tmp.resolve("hand-made.zip"), tmp.resolve("out"));

    assertThat(read.signed()).isTrue();
    assertThat(read.signerKeyId()).contains(PemKeys.keyId(publicKey)).contains(opensslKeyId());
    assertThat(read.manifest().id()).isEqualTo("text-block");
    assertThat(read.files())
        .extracting(PackageFile::path)
        .contains("backend/dist/text-block.jar", "checksum.sha256");
  }

  @ParameterizedTest(name = "{0}, key made by {1}")
  @CsvSource({"RSA_SHA256, openssl", "ED25519, openssl", "RSA_SHA256, PemKeys", "ED25519, PemKeys"})
  void writtenPackagePassesUnzipSha256sumAndOpensslVerify(
      SignatureAlgorithm algorithm, String keyMaker) throws Exception {
    PrivateKey key;
    if (keyMaker.equals("openssl")) {
      generateKeyWithOpenssl(algorithm);
      key = PemKeys.readPrivate(tmp.resolve("key.pem"));
    } else {
      var pair = PemKeys.generate(algorithm, 2048);
      PemKeys.writePrivate(pair.getPrivate(), tmp.resolve("key.pem"));
      PemKeys.writePublic(pair.getPublic(), tmp.resolve("pub.pem"));
      // openssl reads the private key PemKeys wrote and derives the very public key PemKeys wrote.
      assertThat(Tools.run(tmp, List.of("openssl", "pkey", "-in", "key.pem", "-pubout")))
          .isEqualTo(Files.readString(tmp.resolve("pub.pem")).strip() + "\n");
      key = pair.getPrivate();
    }
    PackageWriter.Result written =
        Packages.writer()
            .signWith(key)
            .build()
            .write(PluginFolders.create(tmp.resolve("src")), tmp.resolve("p.zip"));

    Tools.run(tmp, List.of("unzip", "-q", "p.zip", "-d", "unzipped"));
    String sums =
        Tools.run(
            tmp.resolve("unzipped"), List.of("sha256sum", "-c", "--strict", "checksum.sha256"));
    String verified =
        Tools.run(
            tmp.resolve("unzipped"),
            algorithm == SignatureAlgorithm.RSA_SHA256
                ? List.of(
                    "openssl",
                    "dgst",
                    "-sha256",
                    "-verify",
                    "../pub.pem",
                    "-signature",
                    "signature.sig",
                    "checksum.sha256")
                : List.of(
                    "openssl",
                    "pkeyutl",
                    "-verify",
                    "-pubin",
                    "-inkey",
                    "../pub.pem",
                    "-rawin",
                    "-in",
                    "checksum.sha256",
                    "-sigfile",
                    "signature.sig"));

    assertThat(sums.lines()).hasSize(11).allSatisfy(line -> assertThat(line).endsWith(": OK"));
    assertThat(verified.strip()).isIn("Verified OK", "Signature Verified Successfully");
    assertThat(written.signerKeyId()).contains(opensslKeyId());
    assertThat(Files.readString(tmp.resolve("unzipped/metadata.json")))
        .contains(
            "\"algorithm\" : \"" + algorithm.jcaName() + "\"",
            "\"keyId\" : \"" + opensslKeyId() + "\"");
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void publicKeyDerivedFromPrivateHasOpensslsKeyId(SignatureAlgorithm algorithm) {
    generateKeyWithOpenssl(algorithm);

    PublicKey derived = PemKeys.publicKeyOf(PemKeys.readPrivate(tmp.resolve("key.pem")));

    assertThat(PemKeys.keyId(derived))
        .isEqualTo(PemKeys.keyId(PemKeys.readPublic(tmp.resolve("pub.pem"))))
        .isEqualTo(opensslKeyId());
  }

  @Test
  void checksumOrderIsTheOrderOfCSort() throws Exception {
    List<String> paths =
        List.of(
            "docs/😀.md",
            "docs/Ａ.md",
            "docs/é.md",
            "docs/z.md",
            "docs/b.md",
            "docs/a.md",
            "docs/B.md",
            "README.md",
            "docs/a-b.md",
            "docs/a_b.md",
            "docs/a.b.md");
    Files.writeString(tmp.resolve("paths.txt"), String.join("\n", paths) + "\n");

    String sorted = Tools.run(tmp, List.of("sort", "paths.txt"));

    assertThat(paths.stream().sorted(ChecksumFile.PATH_ORDER).toList())
        .isEqualTo(sorted.lines().toList());
  }

  private void generateKeyWithOpenssl(SignatureAlgorithm algorithm) {
    Tools.sh(
        tmp,
        (algorithm == SignatureAlgorithm.RSA_SHA256
                ? "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem 2>/dev/null\n"
                : "openssl genpkey -algorithm ed25519 -out key.pem\n")
            + "openssl pkey -in key.pem -pubout -out pub.pem\n");
  }

  /** The key id as FORMAT.md defines it, computed by openssl and sha256sum alone. */
  private String opensslKeyId() {
    return "sha256:"
        + Tools.sh(tmp, "openssl pkey -pubin -in pub.pem -outform DER | sha256sum | cut -c1-64")
            .strip();
  }
}
