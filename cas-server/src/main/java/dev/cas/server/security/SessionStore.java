package dev.cas.server.security;

import dev.cas.plugin.api.UserInfo;
import dev.cas.server.database.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Browser sessions ({@code cas.browser_sessions}): started at sign-in, refreshed on each use, ended
 * by sign-out, revocation, their lifetime or {@code idleTimeout} without use. Only a hash of each
 * session's token is stored; a session's {@code id} is a public handle for listing and revoking.
 */
public final class SessionStore {

  /** One row of {@code cas.browser_sessions}, without its token hash. */
  public record Session(
      String id,
      String userId,
      Instant createdAt,
      Instant lastSeenAt,
      Instant expiresAt,
      Instant idleExpiresAt,
      String remote,
      String userAgent) {}

  private final DataSource ds;
  private final Duration lifetime;
  private final Duration idleTimeout;

  public SessionStore(DataSource ds, Duration lifetime, Duration idleTimeout) {
    this.ds = ds;
    this.lifetime = lifetime;
    this.idleTimeout = idleTimeout;
  }

  /** How long a session lives without use. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Starts a session for the user; answers its token (only its hash is kept). */
  public String start(String userId, String remote, String userAgent) {
    String token = "cas_" + Passwords.randomToken(32);
    Sql.update(
        ds,
        "INSERT INTO cas.browser_sessions(id, token_hash, user_id, expires_at, remote, user_agent)"
            + " VALUES (?,?,?,?,?,?)",
        Passwords.randomToken(12),
        Passwords.sha256(token),
        userId,
        OffsetDateTime.now().plus(lifetime),
        remote,
        userAgent == null ? null : userAgent.substring(0, Math.min(200, userAgent.length())));
    return token;
  }

  /**
   * The user of a live session, which counts as used now. Threat: a session left open on a shared
   * computer; one unused for longer than the idle timeout is deleted and answers nothing.
   */
  public Optional<UserInfo> use(String token) {
    String hash = Passwords.sha256(token);
    Optional<UserInfo> user =
        Sql.query(
                ds,
                "WITH s AS (UPDATE cas.browser_sessions SET last_seen_at = now()"
                    + " WHERE token_hash = ? AND expires_at > now()"
                    + " AND last_seen_at > now() - make_interval(secs => ?)"
                    + " RETURNING user_id)"
                    + " SELECT u.* FROM s JOIN cas.users u ON u.id = s.user_id",
                hash,
                seconds())
            .stream()
            .findFirst()
            .map(UserStore::toUser);
    if (user.isEmpty()) {
      Sql.update(ds, "DELETE FROM cas.browser_sessions WHERE token_hash = ?", hash);
    }
    return user;
  }

  /** The id of the session with this token, when it exists. */
  public Optional<String> idOf(String token) {
    return Sql.one(
            ds, "SELECT id FROM cas.browser_sessions WHERE token_hash = ?", Passwords.sha256(token))
        .map(r -> (String) r.get("id"));
  }

  /** A user's live sessions, the most recently used first. */
  public List<Session> ofUser(String userId) {
    return Sql.query(
            ds,
            "SELECT * FROM cas.browser_sessions WHERE user_id = ? AND expires_at > now()"
                + " AND last_seen_at > now() - make_interval(secs => ?)"
                + " ORDER BY last_seen_at DESC, created_at DESC",
            userId,
            seconds())
        .stream()
        .map(this::toSession)
        .toList();
  }

  /** Ends the session with this token; true when there was one. */
  public boolean endByToken(String token) {
    return Sql.update(
            ds, "DELETE FROM cas.browser_sessions WHERE token_hash = ?", Passwords.sha256(token))
        > 0;
  }

  /** Ends one of the user's sessions; false when the user has none with this id. */
  public boolean end(String userId, String id) {
    return Sql.update(
            ds, "DELETE FROM cas.browser_sessions WHERE user_id = ? AND id = ?", userId, id)
        > 0;
  }

  /**
   * Ends all of the user's sessions but the one with id {@code keep} (when given); answers how
   * many.
   */
  public int endAll(String userId, Optional<String> keep) {
    return Sql.update(
        ds,
        "DELETE FROM cas.browser_sessions WHERE user_id = ? AND id <> ?",
        userId,
        keep.orElse(""));
  }

  private double seconds() {
    return idleTimeout.toMillis() / 1000.0;
  }

  private Session toSession(Map<String, Object> row) {
    Instant lastSeen = instant(row.get("last_seen_at"));
    return new Session(
        (String) row.get("id"),
        (String) row.get("user_id"),
        instant(row.get("created_at")),
        lastSeen,
        instant(row.get("expires_at")),
        lastSeen.plus(idleTimeout),
        (String) row.get("remote"),
        (String) row.get("user_agent"));
  }

  private static Instant instant(Object value) {
    return switch (value) {
      case java.sql.Timestamp t -> t.toInstant();
      case OffsetDateTime o -> o.toInstant();
      default -> throw new IllegalStateException("not a timestamp: " + value);
    };
  }
}
