package dev.cas.cli;

import java.util.Optional;

/**
 * A host command that did not get what it asked for: the host refused it (with the host's reason
 * code and message), or the host could not be reached, or it refused the credentials. {@link
 * Cas#exitCode} maps the reason to the exit code: 1 for a refusal, 3 for the other two.
 */
final class HostCallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  enum Reason {
    /** The host answered and said no; {@link #code()} is its reason code. */
    REFUSED,
    /** No answer: the host is down, the address is wrong, or the connection broke. */
    UNREACHABLE,
    /** No credentials for this host, or the host does not accept them. */
    CREDENTIALS
  }

  private final Reason reason;
  private final String code;

  HostCallException(Reason reason, String code, String message) {
    super(message);
    this.reason = reason;
    this.code = code;
  }

  HostCallException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.code = null;
  }

  /** The same failure with a hint for the command line appended to the message. */
  HostCallException withHint(String hint) {
    HostCallException e = new HostCallException(reason, code, getMessage() + "; " + hint);
    e.initCause(this);
    return e;
  }

  Reason reason() {
    return reason;
  }

  /** The host's reason code ({@code NOT_FOUND}, {@code CONFIG_INVALID}, …), when it sent one. */
  Optional<String> code() {
    return Optional.ofNullable(code);
  }
}
