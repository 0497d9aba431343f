package dev.cas.server.http;

import dev.cas.plugin.api.UserInfo;
import dev.cas.server.HostException;
import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.Json;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.security.AuditLog;
import dev.cas.server.security.RequestContext;
import dev.cas.server.security.SessionStore;
import dev.cas.server.security.SignInLimiter;
import dev.cas.server.security.UserStore;
import dev.cas.server.services.ServerHostServices;
import dev.cas.server.web.BrowserSessions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Sign-in, browser sessions and API tokens: {@code /api/auth/*}. Parses requests and shapes replies
 * only. A browser session is a sign-in token in an HttpOnly cookie (see {@link BrowserSessions});
 * the bearer token of {@code /api/auth/login} stays for the CLI and scripts.
 */
final class AuthEndpoints {

  private final UserStore users;
  private final SessionStore sessions;
  private final SignInLimiter signIns;
  private final ServerHostServices services;
  private final AuditLog audit;

  AuthEndpoints(
      UserStore users,
      SessionStore sessions,
      SignInLimiter signIns,
      ServerHostServices services,
      AuditLog audit) {
    this.users = users;
    this.sessions = sessions;
    this.signIns = signIns;
    this.services = services;
    this.audit = audit;
  }

  HttpApi routes(HttpApi api) {
    return api.route("POST", "/api/auth/login", HttpApi.Role.PUBLIC, this::login)
        .route("POST", "/api/auth/session", HttpApi.Role.PUBLIC, this::startSession)
        .route("GET", "/api/auth/session", HttpApi.Role.USER, this::session)
        .route("DELETE", "/api/auth/session", HttpApi.Role.USER, this::endSession)
        .route("POST", "/api/auth/tokens", HttpApi.Role.USER, this::newToken)
        .route("DELETE", "/api/auth/tokens/current", HttpApi.Role.USER, this::revokeCurrent)
        .route(
            "GET",
            "/api/auth/me",
            HttpApi.Role.USER,
            c -> new Json(200, c.user().orElseThrow(), null));
  }

  private Reply login(Call c) throws Exception {
    UserInfo user = checkCredentials(c);
    String token = users.issueToken(user.id(), "login", Duration.ofHours(12));
    return new Json(200, Map.of("token", token, "user", user), "logged in");
  }

  /** Signs a browser in: the token goes into the cookie, never into the answer. */
  private Reply startSession(Call c) throws Exception {
    // Threat: login CSRF, another site's form signing the browser in to the attacker's account.
    // A form can only send text/plain, urlencoded or multipart bodies without the host's consent.
    String type = c.headers().getOrDefault("content-type", "");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new HostException(
          HostException.Reason.BAD_REQUEST,
          "sign-in must send its {username, password} body as Content-Type: application/json (was ["
              + type
              + "])");
    }
    UserInfo user = checkCredentials(c);
    String token = sessions.start(user.id(), c.clientAddress(), c.headers().get("user-agent"));
    return new HttpApi.WithHeaders(
        new Json(200, sessionJson(user, token), "signed in"),
        Map.of("Set-Cookie", BrowserSessions.cookie(token, overTls(c))));
  }

  /** The page's session after a reload: who, and the CSRF token it sends with changes. */
  private Reply session(Call c) {
    UserInfo user = c.user().orElseThrow();
    if (c.sessionToken().isEmpty()) {
      throw new HostException(
          HostException.Reason.BAD_REQUEST,
          "GET /api/auth/session describes a browser session; this request has no session cookie");
    }
    return new Json(200, sessionJson(user, c.sessionToken().get()), null);
  }

  /**
   * Signs out: the session's token is forgotten and the cookie cleared. With a bearer token, that
   * token is the one forgotten.
   */
  private Reply endSession(Call c) {
    if (c.sessionToken().isPresent()) {
      sessions.endByToken(c.sessionToken().get());
    } else {
      users.revokeToken(
          Optional.ofNullable(c.headers().get("authorization"))
              .map(h -> h.substring("Bearer ".length()).trim())
              .orElseThrow());
    }
    audit.byCaller("logout", c.user().orElseThrow().username(), "ok", null);
    return new HttpApi.WithHeaders(
        new Json(200, null, "signed out"),
        Map.of("Set-Cookie", BrowserSessions.clearedCookie(overTls(c))));
  }

  /**
   * Whether the browser reached the host over TLS: directly, or through a proxy that says so. A
   * forged header can only add Secure to its own cookie, which the browser then keeps off plain
   * HTTP.
   */
  static boolean overTls(Call c) {
    return c.raw().isSecure()
        || "https".equalsIgnoreCase(c.headers().getOrDefault("x-forwarded-proto", "").trim());
  }

  private Map<String, Object> sessionJson(UserInfo user, String token) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", user);
    out.put("csrfToken", BrowserSessions.csrfToken(token));
    out.put("lifetimeSeconds", BrowserSessions.LIFETIME.toSeconds());
    out.put("idleTimeoutSeconds", sessions.idleTimeout().toSeconds());
    out.put("sessionId", sessions.idOf(token).orElse(null));
    return out;
  }

  private UserInfo checkCredentials(Call c) throws Exception {
    JsonNode body = HttpApi.JSON.readTree(c.bodyBytes());
    String username = text(body, "username");
    char[] password = text(body, "password").toCharArray();
    // Threat: password guessing. Over the limit, refused before the password is even checked.
    var refusal = signIns.attempt(username, c.clientAddress());
    if (refusal.isPresent()) {
      RequestContext.set(Optional.empty(), c.remote());
      audit.byCaller("login", username, "rate-limited", refusal.get().message());
      throw new HostException(
          HostException.Reason.SIGN_IN_RATE_LIMITED,
          "too many failed sign-ins: " + refusal.get().message(),
          refusal.get().retryAfter());
    }
    var user =
        users
            .checkPassword(username, password)
            .or(() -> services.authenticateWithProviders(username, password));
    if (user.isEmpty()) {
      RequestContext.set(Optional.empty(), c.remote());
      audit.byCaller("login", username, "denied", null);
      throw new HostException(HostException.Reason.UNAUTHENTICATED, "wrong username or password");
    }
    signIns.succeeded(username, c.clientAddress());
    RequestContext.set(user, c.remote());
    audit.byCaller("login", username, "ok", null);
    return user.get();
  }

  private Reply newToken(Call c) throws Exception {
    JsonNode body = HttpApi.JSON.readTree(c.bodyBytes());
    String name = body.has("name") ? body.get("name").asString() : "api";
    String token = users.issueToken(c.user().orElseThrow().id(), name, null);
    audit.byCaller("token.create", c.user().get().username(), "ok", name);
    return new Json(201, Map.of("token", token, "name", name), "keep the token: it is shown once");
  }

  /**
   * Revokes the token the request carries (what {@code cas logout} calls): a token kept in a file
   * should not outlive the sign-out that deletes the file.
   */
  private Reply revokeCurrent(Call c) {
    String header = c.headers().getOrDefault("authorization", "");
    users.revokeToken(header.substring(Math.min(7, header.length())).trim());
    audit.byCaller("token.revoke", c.user().orElseThrow().username(), "ok", null);
    return new Json(200, Map.of("revoked", true), "the token is revoked");
  }

  static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isString()) {
      throw new IllegalArgumentException("field [" + field + "] is required");
    }
    return v.asString();
  }
}
