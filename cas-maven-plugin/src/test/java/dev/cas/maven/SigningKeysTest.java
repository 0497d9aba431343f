package dev.cas.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.packaging.PemKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

  @TempDir Path dir;

  @Test
  void developmentKeyIsMadeOnceWithModeSixHundred() throws Exception {
    Path keys = dir.resolve("dev-key");
    var first =
        SigningKeys.find(null, "NONE", Map.<String, String>of()::get, keys, List.of(), log())
            .orElseThrow();
    var second =
        SigningKeys.find(null, "NONE", Map.<String, String>of()::get, keys, List.of(), log())
            .orElseThrow();
    assertThat(first.development()).isTrue();
    assertThat(second.key().getEncoded()).isEqualTo(first.key().getEncoded());
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve(SigningKeys.PRIVATE_KEY))))
        .isEqualTo("rw-------");
  }

  @Test
  void keyFromTheEnvironmentComesBeforeTheDevelopmentKey() throws Exception {
    SigningKeys.generate(dir.resolve("release"));
    String pem = Files.readString(dir.resolve("release").resolve(SigningKeys.PRIVATE_KEY));
    var found =
        SigningKeys.find(
                null,
                "CAS_SIGNING_KEY",
                Map.of("CAS_SIGNING_KEY", pem)::get,
                dir.resolve("dev"),
                List.of(),
                log())
            .orElseThrow();
    assertThat(found.source()).isEqualTo("environment variable CAS_SIGNING_KEY");
    assertThat(found.development()).isFalse();
    assertThat(PemKeys.keyId(PemKeys.publicKeyOf(found.key())))
        .isEqualTo(PemKeys.keyId(PemKeys.readPublic(dir.resolve("release/public-key.pem"))));
    assertThat(dir.resolve("dev")).doesNotExist();
  }

  @Test
  void keyInsideAPackagedFolderIsRefused() throws Exception {
    Path plugin = dir.resolve("src/plugin");
    SigningKeys.generate(plugin.resolve("keys"));
    assertThatThrownBy(
            () ->
                SigningKeys.find(
                    plugin.resolve("keys/private-key.pem"),
                    null,
                    Map.<String, String>of()::get,
                    null,
                    List.of(plugin),
                    log()))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("lies inside")
        .hasMessageContaining("keep private keys outside");
  }

  @Test
  void missingKeyFileIsNamed() {
    assertThatThrownBy(
            () ->
                SigningKeys.find(
                    dir.resolve("nope.pem"),
                    null,
                    Map.<String, String>of()::get,
                    null,
                    List.of(),
                    log()))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("nope.pem")
        .hasMessageContaining("does not exist");
  }

  @Test
  void outputTimestampForms() throws Exception {
    assertThat(Timestamps.creationTime("2026-01-01T00:00:00Z", null))
        .hasToString("2026-01-01T00:00:00Z");
    assertThat(Timestamps.creationTime("1767225600", null)).hasToString("2026-01-01T00:00:00Z");
    assertThat(Timestamps.creationTime(null, "1767225600")).hasToString("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> Timestamps.creationTime("yesterday", null))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("[yesterday]");
  }

  @Test
  void privateKeyAmongThePackagesFilesIsRefused() throws Exception {
    Path staging = dir.resolve("plugin");
    SigningKeys.generate(staging.resolve("docs"));
    Files.writeString(staging.resolve("plugin.json"), "{}");
    assertThatThrownBy(() -> PackageMojo.refusePrivateKeys(staging))
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("docs/private-key.pem")
        .hasMessageNotContaining("public-key.pem");
    Files.delete(staging.resolve("docs/private-key.pem"));
    PackageMojo.refusePrivateKeys(staging);
  }

  private static SystemStreamLog log() {
    return new SystemStreamLog();
  }
}
