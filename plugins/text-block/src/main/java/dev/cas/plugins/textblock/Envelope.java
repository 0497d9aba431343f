package dev.cas.plugins.textblock;

import dev.cas.plugin.api.HttpRoutes.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host's JSON envelope {@code {success, data, message, error, timestamp}}, so a client reads
 * this plugin's answers exactly like the host's own. Errors carry {@code error.code} (the {@link
 * TextBlockException.Reason}) and {@code error.status}.
 */
final class Envelope {

  // Fields in declaration order (id, title, content, …), as people read them.
  private static final JsonMapper JSON =
      JsonMapper.builder().disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build();

  private Envelope() {}

  static Response ok(int status, Object data) {
    return write(status, true, data, null, null);
  }

  static Response ok(int status, Object data, String message) {
    return write(status, true, data, message, null);
  }

  static Response error(TextBlockException e) {
    int status = e.reason().status();
    return write(
        status, false, null, e.getMessage(), Map.of("code", e.reason().name(), "status", status));
  }

  private static Response write(
      int status, boolean success, Object data, String message, Map<String, Object> error) {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("success", success);
    envelope.put("data", data);
    envelope.put("message", message);
    envelope.put("error", error);
    envelope.put("timestamp", Instant.now().toString());
    return new Response(status, "application/json", JSON.writeValueAsBytes(envelope));
  }
}
