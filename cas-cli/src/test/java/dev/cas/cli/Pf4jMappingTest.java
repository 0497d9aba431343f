package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PF4J descriptor values in CAS terms: ids, versions, version expressions, dependencies. */
class Pf4jMappingTest {

  @Test
  void idsAreMadeValidWhenTheyCanBe() {
    assertThat(Pf4jMapping.normalisedId("welcome-plugin")).contains("welcome-plugin");
    assertThat(Pf4jMapping.normalisedId("HelloPlugin")).contains("hello-plugin");
    assertThat(Pf4jMapping.normalisedId("com.example.My_Plugin")).contains("com.example.my-plugin");
    assertThat(Pf4jMapping.normalisedId("  2 fast 2 furious ")).contains("fast-2-furious");
    assertThat(Pf4jMapping.normalisedId("x")).isEmpty();
    assertThat(Pf4jMapping.normalisedId("---")).isEmpty();
  }

  @Test
  void versionsAreCompletedToSemanticVersions() {
    assertThat(Pf4jMapping.version("1.2.3-rc.1")).contains("1.2.3-rc.1");
    assertThat(Pf4jMapping.version("1.2")).contains("1.2.0");
    assertThat(Pf4jMapping.version("7")).contains("7.0.0");
    assertThat(Pf4jMapping.version("1.2.3.4")).isEmpty();
  }

  @Test
  void versionExpressionsBecomeNpmRanges() {
    assertThat(Pf4jMapping.range(">=1.0.0 & <2.0.0")).contains(">=1.0.0 <2.0.0");
    assertThat(Pf4jMapping.range(">=1.0.0 && <2.0.0")).contains(">=1.0.0 <2.0.0");
    assertThat(Pf4jMapping.range("1.0.0 | 2.0.0")).contains("1.0.0 || 2.0.0");
    assertThat(Pf4jMapping.range("*")).contains("*");
    assertThat(Pf4jMapping.range("not a range")).isEmpty();
  }

  @Test
  void dependenciesBecomeCompatibilityDependenciesAndOptionalOnesAreReported() {
    List<String> notes = new ArrayList<>();
    var map =
        Pf4jMapping.compatibilityDependencies(
            Pf4jMapping.dependencies("Audit_Log@>=1.0, reports, charts?@2.0.0, x@1.0.0"),
            notes::add);

    assertThat(map)
        .containsExactly(
            java.util.Map.entry("@cas/plugin-api", "^1.0.0"),
            java.util.Map.entry("audit-log", ">=1.0"),
            java.util.Map.entry("reports", "*"));
    assertThat(notes)
        .contains(
            "optional dependency [charts]: CAS has no optional dependencies; left out (the plugin"
                + " starts without it)",
            "dependency [x]: its id cannot be made a CAS plugin id; left out");
  }
}
