package dev.cas.plugin.api;

import java.util.Optional;

/**
 * Authentication: lets a plugin with {@code auth.provider} check credentials on the host's behalf
 * and add users it authenticated to the host's users.
 */
public interface Auth {

  /** Registers a provider the host consults at login. */
  void registerProvider(Provider provider);

  /**
   * Creates or updates a host user from the provider's directory, with role {@code user}.
   *
   * @return the host's view of the user
   */
  UserInfo importUser(String username, String displayName, String email);

  /** Checks a username and password. */
  @FunctionalInterface
  interface Provider {
    /**
     * @return the user when the credentials are right; empty when they are wrong
     */
    Optional<UserInfo> authenticate(String username, char[] password) throws Exception;
  }
}
