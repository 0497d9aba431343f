package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without the sandbox agent (as in these tests) nothing is enforced, so the start-up canary, run
 * anyway, finds its attempts not denied and says so: the refusal a host with a broken agent would
 * stop on. With the agent: cas-server's {@code SandboxEnforcedIT}.
 */
class PluginSandboxTest {

  @TempDir Path tmp;

  @Test
  void withoutTheAgentNothingIsEnforcedAndNoDenialIsReported() throws Exception {
    assertThat(PluginSandbox.enforced()).isFalse();
    try (AutoCloseable subscription =
        PluginSandbox.onDenial(
            d -> {
              throw new AssertionError("no denial without the agent: " + d);
            })) {
      assertThat(subscription).isNotNull();
    }
  }

  @Test
  void theCanaryRefusesASandboxThatDoesNotDeny() throws Exception {
    Path file = Files.writeString(tmp.resolve("host-file"), "not for plugins");
    assertThatThrownBy(() -> PluginSandbox.runCanary(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sandbox canary: read [" + file + "] was not denied (it returned the file)");
    assertThat(System.getProperty("cas.sandbox.canary")).isNull();
  }

  @Test
  void theProbeNamesEveryAttemptThatWasNotDeniedAndHow() {
    assertThat(new SandboxCanaryProbe().apply(tmp.resolve("missing")))
        .containsExactly(
            "read ["
                + tmp.resolve("missing")
                + "] was not denied (java.nio.file.NoSuchFileException: "
                + tmp.resolve("missing")
                + ")",
            "start the process [true] was not denied (it started)",
            "set the system property [cas.sandbox.canary] was not denied (it was set)");
  }
}
