package dev.cas.plugin.api;

import java.util.Objects;

/**
 * A plugin's answer to the host's health check.
 *
 * @param up whether the plugin can serve
 * @param detail what was checked or what is wrong, for operators
 */
public record HealthStatus(boolean up, String detail) {

  /** Requires a detail: an operator reads it when the plugin is down. */
  public HealthStatus {
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * A healthy status with no detail.
   *
   * @return {@code up}, detail {@code ok}
   */
  public static HealthStatus ok() {
    return new HealthStatus(true, "ok");
  }

  /**
   * An unhealthy status saying what is wrong.
   *
   * @param detail what is wrong, e.g. {@code directory [ldap:389] does not answer}
   * @return {@code down} with that detail
   */
  public static HealthStatus unhealthy(String detail) {
    return new HealthStatus(false, detail);
  }
}
