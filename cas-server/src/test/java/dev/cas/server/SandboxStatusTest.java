package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without the sandbox agent (as in these tests) the host says so: one warning at start and {@code
 * sandbox.enforced: false} in each plugin's status. With it: {@code SandboxEnforcedIT}.
 */
class SandboxStatusTest {

  @TempDir Path tmp;

  @Test
  void withoutTheAgentTheHostWarnsOnceAndTheStatusSaysNotEnforced() {
    try (LogCapture log = LogCapture.start();
        TestHost host = TestHost.embedded(tmp.resolve("host"))) {
      assertThat(
              host.importZip(new TestPlugins(tmp.resolve("build")).buildZip(SpyPlugin.spec()), "")
                  .status())
          .isEqualTo(201);
      TestHost.Response status = host.get("/api/plugins/spy/status");
      assertThat(status.status()).isEqualTo(200);
      assertThat(status.data().get("sandbox").toString())
          .isEqualTo("{\"enforced\":false,\"denials\":0,\"byOperation\":{}}");
      // Not through the host's class either, agent or not.
      assertThat(host.get("/api/plugins/spy/host-listener").text())
          .isEqualTo("refused: plugin [spy] may not listen to sandbox denials: only the host may");
      String warning =
          "sandbox: the agent is not loaded, plugin policies are not enforced inside the JDK"
              + " (./cas server loads it unless CAS_SANDBOX=off)";
      // The capture's own format (the console's copy has a time first).
      assertThat(log.text().lines().filter(l -> l.startsWith("WARN ") && l.endsWith(warning)))
          .containsExactly("WARN [main] dev.cas.server.security.HostSandbox - " + warning);
    }
  }
}
