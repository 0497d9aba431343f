package dev.cas.server;

import dev.cas.server.http.ApiErrors;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why the host refused a request, beyond the package format's and the runtime's own reasons. The
 * reason maps to an HTTP status in {@link ApiErrors}, the one place that does so.
 */
public final class HostException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public enum Reason {
    /** No such plugin, doc or user. */
    NOT_FOUND,
    /** The request body or parameters are not what the endpoint takes. */
    BAD_REQUEST,
    /** No valid token. */
    UNAUTHENTICATED,
    /** The token's user lacks the role. */
    FORBIDDEN,
    /** The same version is installed already. */
    ALREADY_INSTALLED,
    /** An older version than the installed one, without force. */
    VERSION_DOWNGRADE,
    /** A newer version while one is installed, without upgrade=true. */
    UPGRADE_REQUIRED,
    /** A declared table belongs to another installed plugin. */
    TABLE_CONFLICT,
    /** An applied migration's file changed. */
    MIGRATION_CHANGED,
    /** A migration's SQL failed. */
    MIGRATION_FAILED,
    /** A migration created a table the manifest does not declare. */
    UNDECLARED_TABLE,
    /** data/export.json does not fit the plugin. */
    DATA_INVALID,
    /** Configuration values break the configSchema. */
    CONFIG_INVALID,
    /** System plugins cannot be removed through the API. */
    SYSTEM_PLUGIN,
    /** The plugin is not active, so its routes do not answer. */
    PLUGIN_INACTIVE,
    /** The health check after install failed. */
    UNHEALTHY,
    /** A plugin's own route handler threw. */
    PLUGIN_FAILED,
    /** Another install, upgrade or uninstall of the same plugin is running. */
    OPERATION_IN_PROGRESS,
    /** A migration gave the plugin's role a privilege or an object outside its schema. */
    ROLE_ESCALATION,
    /** A plugin registers a route whose path the host keeps for itself. */
    ROUTE_RESERVED,
    /** A request signed in by the browser's session cookie changes state without its CSRF token. */
    CSRF_TOKEN_MISSING,
    /** A request signed in by the session cookie sends a CSRF token that is not its session's. */
    CSRF_TOKEN_INVALID,
    /** Too many failed sign-ins for the username or from the address; answered with Retry-After. */
    SIGN_IN_RATE_LIMITED
  }

  private final Reason reason;
  private final transient Duration retryAfter;

  public HostException(Reason reason, String message) {
    this(reason, message, (Throwable) null);
  }

  public HostException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason);
    this.retryAfter = null;
  }

  /** A refusal that may be tried again after a while (HTTP {@code Retry-After}). */
  public HostException(Reason reason, String message, Duration retryAfter) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
    this.retryAfter = Objects.requireNonNull(retryAfter);
  }

  public Reason reason() {
    return reason;
  }

  /** How long the caller should wait before trying again, when the refusal says. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
