package dev.cas.server.security;

import dev.cas.plugin.api.UserInfo;
import dev.cas.server.database.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Users, roles, passwords and API tokens of the host. */
public final class UserStore {

  static final Set<String> ROLES = Set.of("admin", "operator", "user");

  private final DataSource ds;

  public UserStore(DataSource ds) {
    this.ds = ds;
  }

  /**
   * Creates user {@code admin} on first start, with the password from {@code CAS_ADMIN_PASSWORD} or
   * a generated one printed once and stored in {@code <data>/initial-admin-password} (mode 600).
   *
   * @return the generated password, when one was generated
   */
  public Optional<String> bootstrapAdmin(String fromEnv, Path dataDir) throws java.io.IOException {
    if (byUsername("admin").isPresent()) {
      return Optional.empty();
    }
    boolean generated = fromEnv == null || fromEnv.isBlank();
    String password = generated ? Passwords.randomToken(18) : fromEnv;
    create("admin", "Administrator", "", password.toCharArray(), Set.of("admin"), "local");
    if (generated) {
      Path file = dataDir.resolve("initial-admin-password");
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, password + "\n");
      return Optional.of(password);
    }
    return Optional.empty();
  }

  public UserInfo create(
      String username,
      String displayName,
      String email,
      char[] password,
      Set<String> roles,
      String source) {
    if (!ROLES.containsAll(roles)) {
      throw new IllegalArgumentException("roles " + roles + " are not among " + ROLES);
    }
    // The user id is the username: rows a plugin keys by user_id follow their users to another
    // host.
    String id = username;
    Sql.update(
        ds,
        "INSERT INTO cas.users(id, username, display_name, email, password_hash, roles, source) VALUES (?,?,?,?,?,?,?)",
        id,
        username,
        displayName,
        email,
        password == null ? null : Passwords.hash(password),
        roles.toArray(String[]::new),
        source);
    return byId(id).orElseThrow();
  }

  /**
   * Creates or updates a user a plugin's auth provider vouches for (role {@code user}, no
   * password).
   */
  public UserInfo upsertExternal(String username, String displayName, String email, String source) {
    Optional<UserInfo> existing = byUsername(username);
    if (existing.isPresent() && !source.equals(sourceOf(username).orElse(""))) {
      // Threat: a directory entry named "admin" taking over the local admin through a provider.
      throw new IllegalArgumentException(
          "user ["
              + username
              + "] exists and is managed by ["
              + sourceOf(username).orElse("?")
              + "], not by ["
              + source
              + "]");
    }
    if (existing.isPresent()) {
      Sql.update(
          ds,
          "UPDATE cas.users SET display_name = ?, email = ? WHERE id = ?",
          displayName,
          email,
          existing.get().id());
      return byId(existing.get().id()).orElseThrow();
    }
    return create(username, displayName, email, null, Set.of("user"), source);
  }

  /** Where a user comes from: {@code local}, or {@code plugin:<id>} for users a plugin imported. */
  public Optional<String> sourceOf(String username) {
    return Sql.one(ds, "SELECT source FROM cas.users WHERE username = ?", username)
        .map(r -> (String) r.get("source"));
  }

  public Optional<UserInfo> byUsername(String username) {
    return Sql.one(ds, "SELECT * FROM cas.users WHERE username = ?", username)
        .map(UserStore::toUser);
  }

  public Optional<UserInfo> byId(String id) {
    return Sql.one(ds, "SELECT * FROM cas.users WHERE id = ?", id).map(UserStore::toUser);
  }

  public List<UserInfo> list() {
    return Sql.query(ds, "SELECT * FROM cas.users ORDER BY username").stream()
        .map(UserStore::toUser)
        .toList();
  }

  /**
   * A hash of a random password that no one knows: a sign-in for a name with no local password is
   * checked against it, so it costs the same PBKDF2 work as a wrong password for a real account and
   * its answer time does not tell whether the name exists.
   */
  private static final String NO_ONES_HASH =
      Passwords.hash(Passwords.randomToken(24).toCharArray());

  /** The user when the local password matches. */
  public Optional<UserInfo> checkPassword(String username, char[] password) {
    Optional<Map<String, Object>> row =
        Sql.one(ds, "SELECT * FROM cas.users WHERE username = ?", username);
    String stored = row.map(r -> (String) r.get("password_hash")).orElse(null);
    boolean matches = Passwords.verify(password, stored != null ? stored : NO_ONES_HASH);
    return stored != null && matches ? row.map(UserStore::toUser) : Optional.empty();
  }

  /** Issues a token for the user; only its hash is stored. */
  public String issueToken(String userId, String name, Duration lifetime) {
    String token = "cas_" + Passwords.randomToken(32);
    Sql.update(
        ds,
        "INSERT INTO cas.api_tokens(token_hash, user_id, name, expires_at) VALUES (?,?,?,?)",
        Passwords.sha256(token),
        userId,
        name,
        lifetime == null ? null : OffsetDateTime.now().plus(lifetime));
    return token;
  }

  /**
   * Revokes a token (a browser session signing out, {@code cas logout}); true when there was one.
   */
  public boolean revokeToken(String token) {
    return Sql.update(
            ds, "DELETE FROM cas.api_tokens WHERE token_hash = ?", Passwords.sha256(token))
        > 0;
  }

  public Optional<UserInfo> byToken(String token) {
    return Sql.one(
            ds,
            "SELECT u.* FROM cas.api_tokens t JOIN cas.users u ON u.id = t.user_id"
                + " WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > now())",
            Passwords.sha256(token))
        .map(UserStore::toUser);
  }

  @SuppressWarnings("unchecked")
  static UserInfo toUser(Map<String, Object> row) {
    return new UserInfo(
        (String) row.get("id"),
        (String) row.get("username"),
        (String) row.get("display_name"),
        (String) row.get("email"),
        new HashSet<>((List<String>) row.get("roles")));
  }
}
