package dev.cas.plugin.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plugin's HTTP routes, served by the host under {@code /api/plugins/<id>/}. Needs {@code
 * http.routes}. Handlers run on virtual threads; an exception becomes a 500 naming the plugin.
 */
public interface HttpRoutes {

  /**
   * Registers a handler.
   *
   * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
   * @param path relative to {@code /api/plugins/<id>}, e.g. {@code /blocks/{blockId}}; {@code
   *     {name}} segments become {@link Request#pathParams()}
   */
  void register(String method, String path, Handler handler);

  /** Handles one request. */
  @FunctionalInterface
  interface Handler {
    Response handle(Request request) throws Exception;
  }

  /**
   * A request as the plugin sees it.
   *
   * @param method the HTTP method
   * @param path the path below {@code /api/plugins/<id>}
   * @param pathParams values of the {@code {name}} segments
   * @param query query parameters (all values per name)
   * @param headers request headers, names in lowercase
   * @param body the request body
   * @param user the authenticated user, when there is one
   */
  record Request(
      String method,
      String path,
      Map<String, String> pathParams,
      Map<String, List<String>> query,
      Map<String, String> headers,
      byte[] body,
      Optional<UserInfo> user) {
    public Request {
      pathParams = Map.copyOf(pathParams);
      query = Map.copyOf(query);
      headers = Map.copyOf(headers);
      body = body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
  }

  /**
   * A response.
   *
   * @param status HTTP status
   * @param contentType media type of the body
   * @param body the body bytes
   */
  record Response(int status, String contentType, byte[] body) {
    public Response {
      body = body.clone();
    }

    /** A JSON response from JSON text the plugin made. */
    public static Response json(int status, String json) {
      return new Response(
          status, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A plain text response. */
    public static Response text(int status, String text) {
      return new Response(
          status,
          "text/plain; charset=utf-8",
          text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
