package dev.cas.server.http;

import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.Json;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.security.AuditLog;
import dev.cas.server.security.UserStore;
import tools.jackson.databind.JsonNode;

/** Users and the audit trail: {@code /api/users}, {@code /api/audit}. */
final class AdminEndpoints {

  private final UserStore users;
  private final AuditLog auditLog;

  AdminEndpoints(UserStore users, AuditLog auditLog) {
    this.users = users;
    this.auditLog = auditLog;
  }

  HttpApi routes(HttpApi api) {
    return api.route("GET", "/api/audit", HttpApi.Role.ADMIN, this::audit)
        .route("GET", "/api/users", HttpApi.Role.ADMIN, c -> new Json(200, users.list(), null))
        .route("POST", "/api/users", HttpApi.Role.ADMIN, this::createUser);
  }

  private Reply createUser(Call c) throws Exception {
    JsonNode b = HttpApi.JSON.readTree(c.bodyBytes());
    String username = AuthEndpoints.text(b, "username");
    if (!username.matches("[a-z][a-z0-9._-]{1,63}")) {
      throw new IllegalArgumentException(
          "username ["
              + username
              + "] must be 2-64 of a-z, 0-9, '.', '_', '-', starting with a letter");
    }
    if (users.byUsername(username).isPresent()) {
      throw new IllegalArgumentException("user [" + username + "] exists already");
    }
    java.util.Set<String> roles = new java.util.HashSet<>();
    b.path("roles").forEach(r -> roles.add(r.asString()));
    if (roles.isEmpty()) {
      roles.add("user");
    }
    String password = AuthEndpoints.text(b, "password");
    if (password.length() < 8) {
      throw new IllegalArgumentException("password must have at least 8 characters");
    }
    var user =
        users.create(
            username,
            b.has("displayName") ? b.get("displayName").asString() : username,
            b.has("email") ? b.get("email").asString() : "",
            password.toCharArray(),
            roles,
            "local");
    auditLog.byCaller("user.create", username, "ok", "roles " + roles);
    return new Json(201, user, "user [" + username + "] created");
  }

  private Reply audit(Call c) {
    int limit = c.queryParam("limit").map(Integer::parseInt).orElse(100);
    return new Json(
        200, auditLog.recent(Math.min(limit, 1000), c.queryParam("plugin").orElse(null)), null);
  }
}
