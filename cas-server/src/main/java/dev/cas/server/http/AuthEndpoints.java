package dev.cas.server.http;

import dev.cas.server.HostException;
import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.Json;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.security.AuditLog;
import dev.cas.server.security.RequestContext;
import dev.cas.server.security.UserStore;
import dev.cas.server.services.ServerHostServices;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Sign-in and API tokens: {@code /api/auth/*}. Parses requests and shapes replies only. */
final class AuthEndpoints {

  private final UserStore users;
  private final ServerHostServices services;
  private final AuditLog audit;

  AuthEndpoints(UserStore users, ServerHostServices services, AuditLog audit) {
    this.users = users;
    this.services = services;
    this.audit = audit;
  }

  HttpApi routes(HttpApi api) {
    return api.route("POST", "/api/auth/login", HttpApi.Role.PUBLIC, this::login)
        .route("POST", "/api/auth/tokens", HttpApi.Role.USER, this::newToken)
        .route("DELETE", "/api/auth/tokens/current", HttpApi.Role.USER, this::revokeCurrent)
        .route(
            "GET",
            "/api/auth/me",
            HttpApi.Role.USER,
            c -> new Json(200, c.user().orElseThrow(), null));
  }

  private Reply login(Call c) throws Exception {
    JsonNode body = HttpApi.JSON.readTree(c.bodyBytes());
    String username = text(body, "username");
    char[] password = text(body, "password").toCharArray();
    var user =
        users
            .checkPassword(username, password)
            .or(() -> services.authenticateWithProviders(username, password));
    if (user.isEmpty()) {
      RequestContext.set(Optional.empty(), c.remote());
      audit.byCaller("login", username, "denied", null);
      throw new HostException(HostException.Reason.UNAUTHENTICATED, "wrong username or password");
    }
    String token = users.issueToken(user.get().id(), "login", Duration.ofHours(12));
    RequestContext.set(user, c.remote());
    audit.byCaller("login", username, "ok", null);
    return new Json(200, Map.of("token", token, "user", user.get()), "logged in");
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
