package dev.cas.plugins.ldapauth;

/**
 * Every failure of this plugin, with a {@link Reason} that decides its HTTP status in one place.
 * Messages name the server, DN or key involved and never contain a password.
 */
final class LdapAuthException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why an operation failed; each reason has one HTTP status. */
  enum Reason {
    /** The request body or parameters are malformed. */
    BAD_REQUEST(400),
    /** Wrong password or unknown user: the two are never told apart. */
    INVALID_CREDENTIALS(401),
    /** The caller lacks the operator or admin role. */
    FORBIDDEN(403),
    /**
     * A configuration value is missing or unusable (for example the bind password after import).
     */
    NOT_CONFIGURED(409),
    /** The configured userFilter is not a valid LDAP filter. */
    BAD_FILTER(409),
    /** Connection refused, unknown host or no answer within the timeout. */
    UNREACHABLE(502),
    /** The directory refused the configured bind DN and password. */
    SERVICE_BIND_FAILED(502),
    /** TLS (ldaps:// or StartTLS) could not be established. */
    TLS_FAILED(502),
    /** Any other refusal by the directory, such as a base DN that does not exist. */
    DIRECTORY_ERROR(502);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    /** The HTTP status this reason answers with. */
    int status() {
      return status;
    }
  }

  private final Reason reason;

  LdapAuthException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  LdapAuthException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
