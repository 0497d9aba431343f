package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cas.packaging.CompatibilityChecker.Host;
import dev.cas.packaging.CompatibilityChecker.Incompatibility;
import dev.cas.packaging.PackageException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A manifest's {@code compatibility} against hosts that do and do not satisfy it. */
class CompatibilityCheckerTest {

  private static final Host HOST = Host.of("1.2.0-SNAPSHOT", 25, Map.of("auth-ldap", "1.4.2"));

  @Test
  void fixtureManifestIsCompatibleWithSnapshotHost() {
    assertThat(CompatibilityChecker.check(manifest(">=1.0.0", ">=21", "{}"), HOST)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"^1.2.0", ">=1.2.0", "1.x", "~1.2", "1.0.0 - 1.2.0", ">=1.0.0 <2.0.0"})
  void preReleaseHostIsComparedAsItsRelease(String range) {
    assertThat(CompatibilityChecker.check(manifest(range, ">=21", "{}"), HOST)).isEmpty();
  }

  @Test
  void installRejectsHostVersionOutsideRange() {
    PackageException e = refuse(manifest(">=2.0.0", ">=21", "{}"));

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_HOST);
    assertThat(e.path()).contains("casVersion");
    assertThat(e)
        .hasMessage(
            "plugin [text-block] is not compatible with this host: casVersion requires [>=2.0.0]"
                + " but found [1.2.0-SNAPSHOT]");
  }

  @Test
  void installRejectsJavaVersionOutsideRange() {
    PackageException e = refuse(manifest(">=1.0.0", ">=26", "{}"));

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_HOST);
    assertThat(e)
        .hasMessage(
            "plugin [text-block] is not compatible with this host: javaVersion requires [>=26] but"
                + " found [25]");
  }

  @Test
  void installRejectsApiRangeTheHostDoesNotProvide() {
    PackageException e = refuse(manifest(">=1.0.0", ">=21", "{\"@cas/plugin-api\": \"^2.0.0\"}"));

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_API);
    assertThat(e.path()).contains("@cas/plugin-api");
    assertThat(e)
        .hasMessage(
            "plugin [text-block] is not compatible with this host: @cas/plugin-api requires [^2.0.0]"
                + " but found [1.2.0-SNAPSHOT]");
  }

  @Test
  void installRejectsUnknownApiModule() {
    PackageException e = refuse(manifest(">=1.0.0", ">=21", "{\"@cas/billing\": \"^1.0.0\"}"));

    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_API);
    assertThat(e)
        .hasMessage(
            "plugin [text-block] is not compatible with this host: @cas/billing requires [^1.0.0] but"
                + " found [(none)]");
  }

  @Test
  void installRejectsMissingPluginDependency() {
    PackageException e = refuse(manifest(">=1.0.0", ">=21", "{\"mail-sender\": \"^1.0.0\"}"));

    assertThat(e.reason()).isEqualTo(Reason.DEPENDENCY_UNSATISFIED);
    assertThat(e.path()).contains("mail-sender");
    assertThat(e)
        .hasMessage(
            "plugin [text-block] is not compatible with this host: mail-sender requires [^1.0.0] but"
                + " found [(none)]");
  }

  @Test
  void installRejectsPluginDependencyOutOfRange() {
    PackageException e = refuse(manifest(">=1.0.0", ">=21", "{\"auth-ldap\": \"^2.0.0\"}"));

    assertThat(e.reason()).isEqualTo(Reason.DEPENDENCY_UNSATISFIED);
    assertThat(e)
        .hasMessage(
            "plugin [text-block] is not compatible with this host: auth-ldap requires [^2.0.0] but"
                + " found [1.4.2]");
  }

  @Test
  void pluginDependencyInRangeIsSatisfied() {
    Manifest manifest =
        manifest(">=1.0.0", ">=21", "{\"auth-ldap\": \"~1.4.0\", \"@cas/core-api\": \"1.x\"}");

    assertThat(CompatibilityChecker.check(manifest, HOST)).isEmpty();
  }

  @Test
  void everyUnmetRequirementIsNamedAndTheFirstGivesTheReason() {
    Manifest manifest =
        manifest(">=3.0.0", ">=99", "{\"zeta-plugin\": \"^1.0.0\", \"@cas/types\": \"^9.0.0\"}");

    PackageException e = refuse(manifest);

    assertThat(CompatibilityChecker.check(manifest, HOST))
        .extracting(Incompatibility::reason)
        .containsExactly(
            Reason.INCOMPATIBLE_HOST,
            Reason.INCOMPATIBLE_HOST,
            Reason.INCOMPATIBLE_API,
            Reason.DEPENDENCY_UNSATISFIED);
    assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_HOST);
    assertThat(e)
        .hasMessage(
            "plugin [text-block] is not compatible with this host: casVersion requires [>=3.0.0] but"
                + " found [1.2.0-SNAPSHOT]; javaVersion requires [>=99] but found [25];"
                + " @cas/types requires [^9.0.0] but found [1.2.0-SNAPSHOT]; zeta-plugin requires"
                + " [^1.0.0] but found [(none)]");
  }

  @Test
  void manifestWithoutCompatibilityFitsAnyHost() {
    String json =
        "{\"id\": \"docs-only\", \"name\": \"Docs\", \"version\": \"0.1.0\", \"description\": \"d\"}";
    Manifest manifest =
        ManifestParser.lenient().parse(json.getBytes(StandardCharsets.UTF_8)).manifest();

    assertThat(CompatibilityChecker.check(manifest, Host.of("0.0.1", 21, Map.of()))).isEmpty();
  }

  private static PackageException refuse(Manifest manifest) {
    return catchThrowableOfType(
        PackageException.class, () -> CompatibilityChecker.requireCompatible(manifest, HOST));
  }

  private static Manifest manifest(String casVersion, String javaVersion, String dependencies) {
    String json =
        PluginFolders.MANIFEST
            .replace("\"casVersion\": \">=1.0.0\"", "\"casVersion\": \"" + casVersion + "\"")
            .replace("\"javaVersion\": \">=21\"", "\"javaVersion\": \"" + javaVersion + "\"")
            .replace("{ \"@cas/plugin-api\": \"^1.0.0\" }", dependencies);
    return ManifestParser.lenient().parse(json.getBytes(StandardCharsets.UTF_8)).manifest();
  }
}
