package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings of metrics, the health monitor and alerts: defaults, decimal seconds for short test
 * intervals, secrets from files and out of the logged config, and bad values refused by name.
 */
class MonitoringConfigTest {

  @TempDir Path tmp;

  Monitoring load(Map<String, String> env) {
    return ServerConfig.load(List.of("--data", tmp.toString()), env).monitoring();
  }

  @Test
  void defaults() {
    Monitoring m = load(Map.of());
    assertThat(m.metricsEnabled()).isTrue();
    assertThat(m.metricsToken()).isEmpty();
    assertThat(m.healthInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(m.healthFailures()).isEqualTo(3);
    assertThat(m.maxRestarts()).isEqualTo(3);
    assertThat(m.restartBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(m.webhooks()).isEmpty();
    assertThat(m.webhookTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(m.webhookRetries()).isEqualTo(3);
    assertThat(m.alertWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(m.alertErrorRate()).isEqualTo(0.5);
    assertThat(m.alertDenials()).isEqualTo(1);
  }

  @Test
  void secretsComeFromFilesAndStayOutOfTheLoggedConfig() throws Exception {
    Path token = Files.writeString(tmp.resolve("scrape"), "scrape-token-from-file\n");
    Files.writeString(
        tmp.resolve("cas.properties"),
        "alerts.webhooks=https://hooks.example/T0/secret-path, http://127.0.0.1:9/x\n"
            + "alerts.webhook.token=hook-secret\n"
            + "health.interval.seconds=0.25\n");
    ServerConfig c =
        ServerConfig.load(
            List.of("--data", tmp.toString()), Map.of("CAS_METRICS_TOKEN_FILE", token.toString()));
    assertThat(c.monitoring().metricsToken()).isEqualTo("scrape-token-from-file");
    assertThat(c.monitoring().webhooks()).hasSize(2);
    assertThat(c.monitoring().healthInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.toString())
        .contains("Monitoring[metrics=true, healthInterval=PT0.25S, webhooks=2]")
        .doesNotContain("scrape-token-from-file", "secret-path", "hook-secret");
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> load(Map.of("CAS_HEALTH_INTERVAL_SECONDS", "often")))
        .hasMessage(
            "health.interval.seconds [often] is not a number (CAS_HEALTH_INTERVAL_SECONDS)");
    assertThatThrownBy(() -> load(Map.of("CAS_HEALTH_FAILURES", "0")))
        .hasMessage("health.failures [0] must be a number of at least 1.0 (CAS_HEALTH_FAILURES)");
    assertThatThrownBy(() -> load(Map.of("CAS_ALERTS_ERROR_RATE", "2")))
        .hasMessage("alerts.error-rate [2.0] must be between 0 and 1 (CAS_ALERTS_ERROR_RATE)");
    assertThatThrownBy(() -> load(Map.of("CAS_METRICS_ENABLED", "yes")))
        .hasMessage("metrics.enabled [yes] is not true or false (CAS_METRICS_ENABLED)");
    // A webhook URL may hold a credential: the error names its position, not its text.
    assertThatThrownBy(
            () -> load(Map.of("CAS_ALERTS_WEBHOOKS", "https://ok.example/a,ftp://user:pw@files/x")))
        .hasMessage(
            "alerts.webhooks entry #2 of 2 is not an http:// or https:// URL with a host"
                + " (CAS_ALERTS_WEBHOOKS)");
  }
}
