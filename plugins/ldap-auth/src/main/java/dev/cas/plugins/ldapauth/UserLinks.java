package dev.cas.plugins.ldapauth;

import dev.cas.plugin.api.Auth;
import dev.cas.plugin.api.Database;
import dev.cas.plugin.api.UserInfo;
import dev.cas.plugin.api.Users;
import java.util.Optional;
import java.util.Set;

/**
 * Which host users came from the directory, in the plugin's table {@code directory_users}, and the
 * rule for which host accounts a directory login may speak for.
 */
final class UserLinks {

  private static final Set<String> ROLE_USER = Set.of("user");

  private final Database db;
  private final Users users;
  private final Auth auth;

  UserLinks(Database db, Users users, Auth auth) {
    this.db = db;
    this.users = users;
    this.auth = auth;
  }

  /**
   * Threat: account takeover. The host signs in whichever account the provider names, and importing
   * a user updates an existing account of that name. A directory entry whose username equals a
   * local account's (say {@code admin}) must not log in as that account. So the plugin vouches only
   * for a username with no host account yet, or with one this plugin created that still has role
   * {@code user} only.
   */
  boolean mayActFor(String username) {
    Optional<UserInfo> existing = users.byUsername(username);
    return existing.isEmpty() || (isLinked(username) && existing.get().roles().equals(ROLE_USER));
  }

  /** Creates or updates the host user for a directory user and records the link. */
  UserInfo importUser(DirectoryUser user) {
    UserInfo info = auth.importUser(user.username(), user.displayName(), user.email());
    db.update(
        "INSERT INTO directory_users(username, dn, display_name, email) VALUES (?,?,?,?)"
            + " ON CONFLICT (username) DO UPDATE SET dn = EXCLUDED.dn,"
            + " display_name = EXCLUDED.display_name, email = EXCLUDED.email",
        user.username(),
        user.dn(),
        user.displayName(),
        user.email());
    return info;
  }

  /** Notes a successful login through the provider. */
  void recordLogin(String username) {
    db.update("UPDATE directory_users SET last_login_at = now() WHERE username = ?", username);
  }

  private boolean isLinked(String username) {
    return !db.query("SELECT 1 FROM directory_users WHERE username = ?", username).isEmpty();
  }
}
