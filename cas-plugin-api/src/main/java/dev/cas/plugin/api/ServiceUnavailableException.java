package dev.cas.plugin.api;

/** The host does not offer the service a plugin asked for. */
public final class ServiceUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * A refusal of one service.
   *
   * @param message names the service and why it is not available
   */
  public ServiceUnavailableException(String message) {
    super(message);
  }
}
