package dev.cas.plugins.ldapauth;

import dev.cas.plugin.api.HttpRoutes.Request;
import dev.cas.plugin.api.HttpRoutes.Response;
import dev.cas.plugins.ldapauth.LdapAuthException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies in and the host's JSON envelope ({@code success, data, message, error}) out, so
 * that the plugin's answers read like the host's own.
 */
final class JsonReplies {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JsonReplies() {}

  static Response ok(Object data, String message) {
    return envelope(200, true, data, message, null);
  }

  /** The error's reason decides the status; its message goes out as is (it never holds secrets). */
  static Response error(LdapAuthException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", e.reason().name());
    error.put("status", e.reason().status());
    return envelope(e.reason().status(), false, null, e.getMessage(), error);
  }

  private static Response envelope(
      int status, boolean success, Object data, String message, Object error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", success);
    body.put("data", data);
    body.put("message", message);
    body.put("error", error);
    return Response.json(status, JSON.writeValueAsString(body));
  }

  /** The body as a JSON object; an empty body reads as {@code {}}. */
  static JsonNode object(Request request) {
    if (request.body().length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(request.body());
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JacksonException e) {
      throw badRequest("request body is not JSON: " + e.getOriginalMessage());
    }
    throw badRequest("request body must be a JSON object");
  }

  /** A string field that must be present. */
  static String string(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isString()) {
      throw badRequest("field [" + field + "] is required and must be a string");
    }
    return value.stringValue();
  }

  /** A list of strings, or empty when the field is absent. */
  static List<String> strings(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw badRequest("field [" + field + "] must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isString() || item.stringValue().isBlank()) {
        throw badRequest("field [" + field + "] must hold non-empty strings only");
      }
      out.add(item.stringValue());
    }
    return out;
  }

  /** A boolean field, false when absent. */
  static boolean flag(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value != null && !value.isBoolean()) {
      throw badRequest("field [" + field + "] must be true or false");
    }
    return value != null && value.booleanValue();
  }

  static LdapAuthException badRequest(String message) {
    return new LdapAuthException(Reason.BAD_REQUEST, message);
  }
}
