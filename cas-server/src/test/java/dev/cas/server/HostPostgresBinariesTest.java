package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The host's own distribution (its runtime class path, copied to target/lib) carries embedded
 * PostgreSQL for Linux x86-64 only; the other platforms' binaries (some 60 MB each) are for authors
 * and come with cas-testkit. This test's class path holds every runtime dependency of the host.
 */
class HostPostgresBinariesTest {

  @Test
  void hostCarriesLinuxX8664PostgresOnly() {
    assertThat(ClassLoader.getSystemResource("postgres-linux-x86_64.txz")).isNotNull();
    for (String other :
        List.of(
            "postgres-linux-arm_64.txz",
            "postgres-darwin-x86_64.txz",
            "postgres-darwin-arm_64.txz",
            "postgres-windows-x86_64.txz")) {
      assertThat(ClassLoader.getSystemResource(other)).as(other).isNull();
    }
  }
}
