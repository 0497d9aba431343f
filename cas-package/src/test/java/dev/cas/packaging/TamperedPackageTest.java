package dev.cas.packaging;

import static dev.cas.packaging.Packages.text;
import static dev.cas.packaging.Packages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.PackageException.Reason;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Packages altered after they were made: files changed, added or removed behind the checksums'
 * back, checksums rewritten without the key, signatures stripped, cut or made by a stranger.
 */
class TamperedPackageTest {

  private static final String JAR = "backend/dist/text-block.jar";

  private static KeyPair rsa;
  private static KeyPair ed25519;
  private static KeyPair stranger;

  @TempDir Path tmp;

  private Sandbox sandbox;
  private Map<String, byte[]> valid;

  @BeforeAll
  static void keys() {
    rsa = PemKeys.generate(SignatureAlgorithm.RSA_SHA256, 2048);
    ed25519 = PemKeys.generate(SignatureAlgorithm.ED25519, 0);
    stranger = PemKeys.generate(SignatureAlgorithm.ED25519, 0);
  }

  @BeforeEach
  void validPackage() {
    valid = Packages.entries(Packages.valid(tmp));
    sandbox = new Sandbox(tmp);
  }

  @Test
  void importRejectsPackageWithoutChecksumFile() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    files.remove(PackageLayout.CHECKSUMS);

    PackageException e = sandbox.refuse(zip(files));

    assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_FILE_MISSING);
    assertThat(e).hasMessage("package has no checksum.sha256");
  }

  @Test
  void importRejectsMalformedChecksumFile() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    String good = text(valid.get(PackageLayout.CHECKSUMS));
    files.put(PackageLayout.CHECKSUMS, utf8(good + "not a checksum line\n"));

    PackageException e = sandbox.refuse(zip(files));

    assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_FILE_MALFORMED);
    int line = good.split("\n").length + 1;
    assertThat(e)
        .hasMessage(
            "checksum.sha256 is malformed: line " + line + " is not '<64 hex digits>  <path>'");
  }

  @Test
  void importRejectsTamperedJar() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    byte[] jar = valid.get(JAR).clone();
    jar[jar.length / 2] ^= 0x01;
    files.put(JAR, jar);

    PackageException e = sandbox.refuse(zip(files));

    assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
    assertThat(e.path()).contains(JAR);
    assertThat(e)
        .hasMessage(
            "checksum mismatch for [backend/dist/text-block.jar]: expected ["
                + ChecksumFile.sha256(valid.get(JAR))
                + "] but was ["
                + ChecksumFile.sha256(jar)
                + "]");
  }

  @Test
  void importRejectsTamperedManifest() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    byte[] manifest =
        utf8(
            text(valid.get("plugin.json"))
                .replace("\"http.routes\"", "\"http.routes\", \"users.read\""));
    files.put("plugin.json", manifest);

    PackageException e = sandbox.refuse(zip(files));

    assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
    assertThat(e)
        .hasMessage(
            "checksum mismatch for [plugin.json]: expected ["
                + ChecksumFile.sha256(valid.get("plugin.json"))
                + "] but was ["
                + ChecksumFile.sha256(manifest)
                + "]");
  }

  @Test
  void importRejectsFileNotListedInChecksums() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    files.put("docs/extra.md", utf8("# Extra\n"));

    PackageException e = sandbox.refuse(zip(files));

    assertThat(e.reason()).isEqualTo(Reason.FILE_UNLISTED);
    assertThat(e).hasMessage("file [docs/extra.md] is not listed in checksum.sha256");
  }

  @Test
  void importRejectsListedFileThatIsMissing() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    files.remove("docs/overview.md");

    PackageException e = sandbox.refuse(zip(files));

    assertThat(e.reason()).isEqualTo(Reason.FILE_MISSING);
    assertThat(e)
        .hasMessage(
            "file [docs/overview.md] is listed in checksum.sha256 but missing from the package");
  }

  @Test
  void importNamesTheFirstOffendingPathInOrder() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    files.put("plugin.json", utf8(text(valid.get("plugin.json")) + " "));
    files.put(JAR, utf8("not a jar"));

    PackageException e = sandbox.refuse(zip(files));

    assertThat(e.path()).contains(JAR);
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void importAcceptsPackageSignedByTrustedKey(SignatureAlgorithm algorithm) {
    KeyPair pair = pair(algorithm);
    Path zip = Packages.signed(tmp, pair.getPrivate());

    PluginPackage read = sandbox.read(zip, requiring(pair));

    assertThat(read.signed()).isTrue();
    assertThat(read.signerKeyId()).contains(PemKeys.keyId(pair.getPublic()));
  }

  @Test
  void importRejectsSignatureByUntrustedKey() {
    Path zip = Packages.signed(tmp, stranger.getPrivate());

    PackageException e = sandbox.refuse(zip, requiring(rsa, ed25519));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_UNTRUSTED);
    assertThat(e)
        .hasMessage(
            "package is signed by key ["
                + PemKeys.keyId(stranger.getPublic())
                + "], which is not in the trust store");
  }

  @Test
  void importRejectsSignatureByUntrustedKeyEvenWhenSignaturesAreOptional() {
    Path zip = Packages.signed(tmp, stranger.getPrivate());
    ReadOptions ifPresent =
        ReadOptions.defaults()
            .withSignatures(SignaturePolicy.IF_PRESENT, TrustStore.of(List.of(rsa.getPublic())));

    PackageException e = sandbox.refuse(zip, ifPresent);

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_UNTRUSTED);
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void importRejectsTruncatedSignature(SignatureAlgorithm algorithm) {
    KeyPair pair = pair(algorithm);
    Map<String, byte[]> files = Packages.entries(Packages.signed(tmp, pair.getPrivate()));
    byte[] signature = files.get(PackageLayout.SIGNATURE);
    files.put(PackageLayout.SIGNATURE, Arrays.copyOf(signature, signature.length / 2));

    PackageException e = sandbox.refuse(zip(files), requiring(pair));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    assertThat(e)
        .hasMessage(
            "signature.sig does not verify with key ["
                + PemKeys.keyId(pair.getPublic())
                + "] ("
                + algorithm.jcaName()
                + ")");
  }

  /** An attacker without the key can rewrite the checksums, but not the signature over them. */
  @Test
  void importRejectsRewrittenChecksumsUnderOriginalSignature() {
    Map<String, byte[]> files = Packages.entries(Packages.signed(tmp, rsa.getPrivate()));
    byte[] signature = files.get(PackageLayout.SIGNATURE);
    files.put(JAR, utf8("malicious"));
    files = Packages.rechecksummed(files);
    files.put(PackageLayout.SIGNATURE, signature);

    PackageException e = sandbox.refuse(zip(files), requiring(rsa));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    assertThat(e)
        .hasMessage(
            "signature.sig does not verify with key ["
                + PemKeys.keyId(rsa.getPublic())
                + "] (SHA256withRSA)");
  }

  @Test
  void importRejectsUnsignedPackageWhenSignatureRequired() {
    PackageException e = sandbox.refuse(zip(valid), requiring(rsa));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISSING);
    assertThat(e)
        .hasMessage(
            "package is not signed (no signature.sig) and the signature policy is [required]");
  }

  @Test
  void importRejectsStrippedSignatureWhenSignatureRequired() {
    Map<String, byte[]> files = Packages.entries(Packages.signed(tmp, ed25519.getPrivate()));
    files.remove(PackageLayout.SIGNATURE);

    PackageException e = sandbox.refuse(zip(files), requiring(ed25519));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISSING);
  }

  @Test
  void importRejectsAlgorithmThatDoesNotMatchTheKey() {
    Map<String, byte[]> files = Packages.entries(Packages.signed(tmp, rsa.getPrivate()));
    String metadata = text(files.get(PackageLayout.METADATA));
    assertThat(metadata).contains("\"SHA256withRSA\"");
    files.put(PackageLayout.METADATA, utf8(metadata.replace("\"SHA256withRSA\"", "\"Ed25519\"")));
    files = Packages.resigned(files, rsa.getPrivate());

    PackageException e = sandbox.refuse(zip(files), requiring(rsa));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_ALGORITHM_MISMATCH);
    assertThat(e)
        .hasMessage(
            "metadata.json names algorithm [Ed25519] but key ["
                + PemKeys.keyId(rsa.getPublic())
                + "] is an [RSA] key");
  }

  @Test
  void importRejectsUnknownSigningAlgorithm() {
    Map<String, byte[]> files = Packages.entries(Packages.signed(tmp, rsa.getPrivate()));
    String metadata = text(files.get(PackageLayout.METADATA));
    files.put(
        PackageLayout.METADATA, utf8(metadata.replace("\"SHA256withRSA\"", "\"SHA1withRSA\"")));
    files = Packages.resigned(files, rsa.getPrivate());

    PackageException e = sandbox.refuse(zip(files), requiring(rsa));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_ALGORITHM_MISMATCH);
    assertThat(e)
        .hasMessage(
            "metadata.json names signing algorithm [SHA1withRSA]; supported are [SHA256withRSA,"
                + " Ed25519]");
  }

  @Test
  void importRejectsSigningEntryWithoutKeyId() {
    Map<String, byte[]> files = Packages.entries(Packages.signed(tmp, ed25519.getPrivate()));
    String metadata = text(files.get(PackageLayout.METADATA));
    files.put(
        PackageLayout.METADATA,
        utf8(metadata.replaceFirst("\"keyId\" : \"sha256:[0-9a-f]+\"", "\"keyId\" : null")));
    files = Packages.resigned(files, ed25519.getPrivate());

    PackageException e = sandbox.refuse(zip(files), requiring(ed25519));

    assertThat(e.reason()).isEqualTo(Reason.METADATA_INVALID);
    assertThat(e.getMessage()).startsWith("metadata.json is invalid: ").contains("keyId");
  }

  @Test
  void importRejectsUnlabelledSignatureByUntrustedKey() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    files.put(
        PackageLayout.SIGNATURE,
        SignatureVerifier.sign(valid.get(PackageLayout.CHECKSUMS), stranger.getPrivate()));

    PackageException e = sandbox.refuse(zip(files), requiring(rsa, ed25519));

    assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_UNTRUSTED);
    assertThat(e)
        .hasMessage(
            "signature.sig does not verify with any of the 2 trusted keys (metadata.json names no"
                + " signing key)");
  }

  @Test
  void importRejectsMetadataOfAnotherFormatVersion() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    String metadata = text(valid.get(PackageLayout.METADATA));
    files.put(
        PackageLayout.METADATA,
        utf8(metadata.replace("\"formatVersion\" : 1", "\"formatVersion\" : 2")));

    PackageException e = sandbox.refuse(zip(Packages.rechecksummed(files)));

    assertThat(e.reason()).isEqualTo(Reason.METADATA_INVALID);
    assertThat(e).hasMessage("metadata.json formatVersion is [2]; this reader reads [1]");
  }

  private static KeyPair pair(SignatureAlgorithm algorithm) {
    return algorithm == SignatureAlgorithm.RSA_SHA256 ? rsa : ed25519;
  }

  private static ReadOptions requiring(KeyPair... trusted) {
    return ReadOptions.defaults()
        .withSignatures(
            SignaturePolicy.REQUIRED,
            TrustStore.of(Arrays.stream(trusted).map(KeyPair::getPublic).toList()));
  }

  private Path zip(Map<String, byte[]> files) {
    return HostileZip.of(files).writeTo(tmp.resolve("tampered.zip"));
  }
}
