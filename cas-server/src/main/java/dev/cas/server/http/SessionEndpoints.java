package dev.cas.server.http;

import dev.cas.plugin.api.UserInfo;
import dev.cas.server.HostException;
import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.Json;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.security.AuditLog;
import dev.cas.server.security.SessionStore;
import dev.cas.server.security.UserStore;
import dev.cas.server.web.BrowserSessions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Browser sessions as resources: {@code /api/sessions} lists and ends the caller's own, {@code
 * /api/users/{username}/sessions} lets an admin see and end another user's (a lost laptop, a
 * departing colleague). Ending a session takes effect on its next request, which is refused as
 * {@code the session has ended; sign in again}.
 */
final class SessionEndpoints {

  private final UserStore users;
  private final SessionStore sessions;
  private final AuditLog audit;

  SessionEndpoints(UserStore users, SessionStore sessions, AuditLog audit) {
    this.users = users;
    this.sessions = sessions;
    this.audit = audit;
  }

  HttpApi routes(HttpApi api) {
    return api.route("GET", "/api/sessions", HttpApi.Role.USER, this::mine)
        .route("DELETE", "/api/sessions", HttpApi.Role.USER, this::endMyOthers)
        .route("DELETE", "/api/sessions/{id}", HttpApi.Role.USER, this::endMine)
        .route("GET", "/api/users/{username}/sessions", HttpApi.Role.ADMIN, this::ofUser)
        .route("DELETE", "/api/users/{username}/sessions", HttpApi.Role.ADMIN, this::endAllOfUser);
  }

  private Reply mine(Call c) {
    return new Json(200, describe(c.user().orElseThrow().id(), current(c)), null);
  }

  /** Signs the caller out everywhere else: every session but the one making the request. */
  private Reply endMyOthers(Call c) {
    UserInfo user = c.user().orElseThrow();
    int ended = sessions.endAll(user.id(), current(c));
    audit.byCaller("session.revoke", user.username(), "ok", ended + " other session(s)");
    return new Json(200, Map.of("ended", ended), ended + " other session(s) ended");
  }

  private Reply endMine(Call c) {
    UserInfo user = c.user().orElseThrow();
    String id = c.param("id");
    // Another user's session id is answered as unknown: ids are not to be probed.
    if (!sessions.end(user.id(), id)) {
      throw new HostException(
          HostException.Reason.NOT_FOUND,
          "user [" + user.username() + "] has no session [" + id + "]");
    }
    audit.byCaller("session.revoke", user.username(), "ok", "session " + id);
    Json answer = new Json(200, Map.of("ended", 1), "session [" + id + "] ended");
    return current(c).filter(id::equals).isPresent()
        ? new HttpApi.WithHeaders(
            answer, Map.of("Set-Cookie", BrowserSessions.clearedCookie(AuthEndpoints.overTls(c))))
        : answer;
  }

  private Reply ofUser(Call c) {
    UserInfo user = existing(c.param("username"));
    return new Json(200, describe(user.id(), current(c)), null);
  }

  private Reply endAllOfUser(Call c) {
    UserInfo user = existing(c.param("username"));
    int ended = sessions.endAll(user.id(), Optional.empty());
    audit.byCaller("session.revoke", user.username(), "ok", ended + " session(s) by an admin");
    return new Json(
        200, Map.of("ended", ended), ended + " session(s) of user [" + user.username() + "] ended");
  }

  private UserInfo existing(String username) {
    return users
        .byUsername(username)
        .orElseThrow(
            () -> new HostException(HostException.Reason.NOT_FOUND, "no user [" + username + "]"));
  }

  private Optional<String> current(Call c) {
    return c.sessionToken().flatMap(sessions::idOf);
  }

  private List<Map<String, Object>> describe(String userId, Optional<String> current) {
    return sessions.ofUser(userId).stream()
        .map(
            s -> {
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("id", s.id());
              out.put("current", current.filter(s.id()::equals).isPresent());
              out.put("createdAt", s.createdAt().toString());
              out.put("lastSeenAt", s.lastSeenAt().toString());
              out.put("idleExpiresAt", s.idleExpiresAt().toString());
              out.put("expiresAt", s.expiresAt().toString());
              out.put("remote", s.remote());
              out.put("userAgent", s.userAgent());
              return out;
            })
        .toList();
  }
}
