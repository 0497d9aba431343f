package dev.cas.plugins.ragretrieval;

/**
 * Why the plugin refused a request. {@link RagRoutes} turns the reason into an HTTP status, in one
 * place; the message names the thing and the values.
 */
final class RagException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of refusal this is. */
  enum Reason {
    /** The request carries no authenticated user. */
    UNAUTHENTICATED,
    /** The request is malformed or a value is out of range. */
    BAD_REQUEST,
    /** The collection or document does not exist for the calling user. */
    NOT_FOUND,
    /** The request conflicts with existing data, e.g. a duplicate collection name. */
    CONFLICT,
    /** The document is too large to store or to chunk. */
    TOO_LARGE,
    /** The plugin's configuration is inconsistent, e.g. chunkOverlap not below chunkSize. */
    CONFIG_INVALID
  }

  private final Reason reason;

  RagException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  Reason reason() {
    return reason;
  }
}
