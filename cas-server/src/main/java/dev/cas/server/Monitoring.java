package dev.cas.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Metrics, the health monitor and alerts (README, "Operations"). Secrets ({@code metricsToken},
 * {@code webhooks}, {@code webhookToken}) are never logged or returned.
 *
 * @param metricsEnabled whether {@code GET /metrics} and the route-path recording are on ({@code
 *     metrics.enabled}, default true)
 * @param metricsToken a bearer token that may scrape {@code /metrics} besides an admin's ({@code
 *     metrics.token}); empty for admins only
 * @param healthInterval how often each active plugin's health check runs ({@code
 *     health.interval.seconds}, default 10); zero turns the monitor off
 * @param healthFailures failed checks in a row that restart the plugin ({@code health.failures},
 *     default 3)
 * @param maxRestarts failed restarts after which the plugin is marked failed ({@code
 *     health.restart.max}, default 3)
 * @param restartBackoff the wait before the second restart, doubled for each later one ({@code
 *     health.restart.backoff.seconds}, default 1)
 * @param healthParallel how many plugins' checks (and restarts) run at once ({@code
 *     health.parallel}, default 4): a check that hangs holds one of them up to the lifecycle
 *     timeout
 * @param webhooks URLs alerts are posted to ({@code alerts.webhooks}, comma-separated; a secret:
 *     they may carry credentials)
 * @param webhookToken sent as {@code Authorization: Bearer} with each alert ({@code
 *     alerts.webhook.token}); empty for none
 * @param webhookTimeout how long one post may take ({@code alerts.timeout.seconds}, default 5)
 * @param webhookRetries posts after the first when one fails ({@code alerts.retries}, default 3)
 * @param alertWindow the window of the error-rate and sandbox-denial thresholds ({@code
 *     alerts.window.seconds}, default 60)
 * @param alertErrorRate the share of failing route calls (of at least 10 in the window) that alerts
 *     ({@code alerts.error-rate}, default 0.5)
 * @param alertDenials sandbox denials of one plugin in the window that alert ({@code
 *     alerts.sandbox-denials}, default 1; 0 turns it off)
 */
public record Monitoring(
    boolean metricsEnabled,
    String metricsToken,
    Duration healthInterval,
    int healthFailures,
    int maxRestarts,
    Duration restartBackoff,
    int healthParallel,
    List<java.net.URI> webhooks,
    String webhookToken,
    Duration webhookTimeout,
    int webhookRetries,
    Duration alertWindow,
    double alertErrorRate,
    long alertDenials) {

  public Monitoring {
    webhooks = List.copyOf(webhooks);
  }

  /** Secrets are left out. */
  @Override
  public String toString() {
    return "Monitoring[metrics="
        + metricsEnabled
        + ", healthInterval="
        + healthInterval
        + ", webhooks="
        + webhooks.size()
        + "]";
  }

  static Monitoring load(ServerConfig.Settings s) {
    String enabled = s.get("metrics.enabled", "CAS_METRICS_ENABLED", "true").trim();
    if (!enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(
          "metrics.enabled [" + enabled + "] is not true or false (CAS_METRICS_ENABLED)");
    }
    double errorRate = s.number("alerts.error-rate", "CAS_ALERTS_ERROR_RATE", "0.5", 0);
    if (errorRate > 1) {
      throw new IllegalArgumentException(
          "alerts.error-rate [" + errorRate + "] must be between 0 and 1 (CAS_ALERTS_ERROR_RATE)");
    }
    return new Monitoring(
        Boolean.parseBoolean(enabled),
        s.secret("metrics.token", "CAS_METRICS_TOKEN"),
        s.seconds("health.interval.seconds", "CAS_HEALTH_INTERVAL_SECONDS", "10"),
        (int) s.number("health.failures", "CAS_HEALTH_FAILURES", "3", 1),
        (int) s.number("health.restart.max", "CAS_HEALTH_RESTART_MAX", "3", 0),
        s.seconds("health.restart.backoff.seconds", "CAS_HEALTH_RESTART_BACKOFF_SECONDS", "1"),
        (int) s.number("health.parallel", "CAS_HEALTH_PARALLEL", "4", 1),
        webhooks(s.secret("alerts.webhooks", "CAS_ALERTS_WEBHOOKS")),
        s.secret("alerts.webhook.token", "CAS_ALERTS_WEBHOOK_TOKEN"),
        s.seconds("alerts.timeout.seconds", "CAS_ALERTS_TIMEOUT_SECONDS", "5"),
        (int) s.number("alerts.retries", "CAS_ALERTS_RETRIES", "3", 0),
        s.seconds("alerts.window.seconds", "CAS_ALERTS_WINDOW_SECONDS", "60"),
        errorRate,
        (long) s.number("alerts.sandbox-denials", "CAS_ALERTS_SANDBOX_DENIALS", "1", 0));
  }

  /**
   * The webhook URLs, checked. A bad entry is named by its position only: a webhook URL may carry a
   * credential, which must not reach a log or an error message.
   */
  private static List<java.net.URI> webhooks(String text) {
    List<java.net.URI> out = new ArrayList<>();
    String[] entries = text.isBlank() ? new String[0] : text.split(",");
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      java.net.URI uri = null;
      try {
        uri = new java.net.URI(entry);
      } catch (java.net.URISyntaxException e) {
        // reported below, without the text
      }
      if (uri == null
          || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException(
            "alerts.webhooks entry #"
                + (i + 1)
                + " of "
                + entries.length
                + " is not an http:// or https:// URL with a host (CAS_ALERTS_WEBHOOKS)");
      }
      out.add(uri);
    }
    return out;
  }
}
