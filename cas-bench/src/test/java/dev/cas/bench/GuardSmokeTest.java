package dev.cas.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The sandbox-overhead benchmark once with one tiny iteration per JMH fork. The guarded forks fail
 * unless the agent is loaded and denies plugin code a file outside its folder and a port that is
 * not allowed, so a broken sandbox fails this test. In a test JVM of its own (surefire does not
 * reuse forks in this module): after the other smoke benchmarks had run in the same JVM, JMH's
 * forks lost their link to it at the handshake (cause not found).
 */
class GuardSmokeTest {

  @Test
  void sandboxGuardsAreMeasuredWithAndWithoutTheAgent() throws Exception {
    GuardRun.Result r = new GuardRun(GuardRun.defaultAgent(), 0, 1, 50).run();
    assertThat(r.scores()).hasSize(12);
    r.scores()
        .values()
        .forEach(v -> assertThat(v).singleElement().satisfies(x -> assertThat(x).isPositive()));
    assertThat(r.computeOverheadPct()).isFinite();
    assertThat(r.markdown())
        .contains("| compute | plugin |", "| file | host |", "| socket | plugin |")
        .doesNotContain("NaN");
  }
}
