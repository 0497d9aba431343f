package dev.cas.plugins.ldapauth;

import dev.cas.plugin.api.Auth;
import dev.cas.plugin.api.UserInfo;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Lets {@code POST /api/auth/login} accept directory users: the host asks this provider when its
 * own password check fails; a successful bind imports the user (role {@code user}) and logs in.
 */
final class LdapLoginProvider implements Auth.Provider {

  private final LdapDirectory directory;
  private final UserLinks links;
  private final BooleanSupplier active;
  private final System.Logger log;

  /**
   * @param active whether the plugin is active: the host keeps a provider registered from {@code
   *     initialize} while the plugin is inactive, but an inactive plugin must not let anyone in
   */
  LdapLoginProvider(
      LdapDirectory directory, UserLinks links, BooleanSupplier active, System.Logger log) {
    this.directory = directory;
    this.links = links;
    this.active = active;
    this.log = log;
  }

  @Override
  public Optional<UserInfo> authenticate(String username, char[] password) {
    if (!active.getAsBoolean()) {
      return Optional.empty();
    }
    Optional<DirectoryUser> user = directory.authenticate(username, password);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    String name = user.get().username();
    if (!links.mayActFor(name)) {
      log.log(
          Level.WARNING,
          "directory user [{0}] matches a host account that ldap-auth did not create or that has"
              + " more than role [user]; not logging it in",
          name);
      return Optional.empty();
    }
    UserInfo info = links.importUser(user.get());
    links.recordLogin(name);
    return Optional.of(info);
  }
}
