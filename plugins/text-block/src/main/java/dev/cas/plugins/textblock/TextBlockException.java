package dev.cas.plugins.textblock;

/**
 * The one failure type of this plugin's routes. Its {@link Reason} decides the HTTP status, in
 * {@link Reason#status()} only; the message says what was wrong with which value.
 */
final class TextBlockException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a request was refused, and the HTTP status that says so. */
  enum Reason {
    /** The body or a parameter breaks a rule; the message names the field. */
    BAD_REQUEST(400),
    /** The host let through a request without a user (it should not). */
    UNAUTHENTICATED(401),
    /** No such block for this user: absent, or another user's (which the caller cannot tell). */
    NOT_FOUND(404);

    private final int status;

    Reason(int status) {
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private final Reason reason;

  TextBlockException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }

  static TextBlockException badRequest(String message) {
    return new TextBlockException(Reason.BAD_REQUEST, message);
  }

  static TextBlockException blockNotFound(String blockId) {
    return new TextBlockException(Reason.NOT_FOUND, "block [" + blockId + "] not found");
  }
}
