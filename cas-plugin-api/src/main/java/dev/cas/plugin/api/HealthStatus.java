package dev.cas.plugin.api;

import java.util.Objects;

/**
 * A plugin's answer to the host's health check.
 *
 * @param up whether the plugin can serve
 * @param detail what was checked or what is wrong, for operators
 */
public record HealthStatus(boolean up, String detail) {

  public HealthStatus {
    Objects.requireNonNull(detail, "detail");
  }

  /** A healthy status with no detail. */
  public static HealthStatus ok() {
    return new HealthStatus(true, "ok");
  }

  /** An unhealthy status saying what is wrong. */
  public static HealthStatus unhealthy(String detail) {
    return new HealthStatus(false, detail);
  }
}
