package dev.cas.plugin.api;

import java.util.Optional;

/**
 * Authentication: lets a plugin with {@code auth.provider} check credentials on the host's behalf
 * and add users it authenticated to the host's users.
 */
public interface Auth {

  /**
   * Registers a provider the host consults at login.
   *
   * @param provider checks a username and password against the plugin's directory
   */
  void registerProvider(Provider provider);

  /**
   * Creates or updates a host user from the provider's directory, with role {@code user}.
   *
   * @param username the login name
   * @param displayName the name for people
   * @param email the e-mail address
   * @return the host's view of the user
   */
  UserInfo importUser(String username, String displayName, String email);

  /** Checks a username and password. */
  @FunctionalInterface
  interface Provider {
    /**
     * Checks the credentials against the provider's directory.
     *
     * @param username the login name as typed
     * @param password the password as typed
     * @return the user when the credentials are right, empty when they are wrong; the host accepts
     *     only a user this plugin added through {@link Auth#importUser}
     * @throws Exception when the directory cannot be asked; the host logs it and asks the next
     *     provider
     */
    Optional<UserInfo> authenticate(String username, char[] password) throws Exception;
  }
}
