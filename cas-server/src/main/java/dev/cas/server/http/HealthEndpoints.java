package dev.cas.server.http;

import dev.cas.server.http.HttpApi.Json;
import dev.cas.server.http.HttpApi.Role;
import dev.cas.server.ops.HostHealth;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/health}: public and minimal for load balancers ({@code 200 {"status":"up"}}, or
 * {@code 503 {"status":"down"}} when the host's database does not answer); a signed-in caller also
 * gets each plugin's state and last health check.
 */
final class HealthEndpoints {

  private final HostHealth health;

  HealthEndpoints(HostHealth health) {
    this.health = health;
  }

  HttpApi routes(HttpApi api) {
    return api.route("GET", "/api/health", Role.PUBLIC, this::health);
  }

  private Json health(HttpApi.Call c) {
    boolean up = health.databaseUp();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", up ? "up" : "down");
    if (c.user().isPresent()) {
      data.put("database", up ? "up" : "down");
      data.put("plugins", health.plugins());
    }
    return new Json(up ? 200 : 503, data, up ? null : "the host's database does not answer");
  }
}
