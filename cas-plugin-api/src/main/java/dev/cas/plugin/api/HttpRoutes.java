package dev.cas.plugin.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plugin's HTTP routes, served by the host under {@code /api/plugins/<id>/}. Needs {@code
 * http.routes}.
 *
 * <p>Each request is a call of the plugin, run on one of the plugin's own platform threads (named
 * {@code plugin-<id>-call-<n>}, kept for reuse while busy and ended after a second idle), with the
 * plugin's class loader as the context class loader. Platform threads, not virtual ones: the JVM
 * measures CPU time and allocation per platform thread only, and each call is held to the plugin's
 * budgets. The host's request thread waits for the call; past the route deadline the call is
 * stopped and the caller gets {@code 504 CALL_DEADLINE}, over its budgets {@code 503
 * CALL_OVER_BUDGET}, with too many calls in flight {@code 429 CALL_REJECTED}. An exception from a
 * handler becomes {@code 500 PLUGIN_FAILED} naming the plugin; its stack trace goes to the host's
 * log only.
 */
public interface HttpRoutes {

  /**
   * Registers a handler.
   *
   * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
   * @param path relative to {@code /api/plugins/<id>}, e.g. {@code /blocks/{blockId}}; {@code
   *     {name}} segments become {@link Request#pathParams()}
   * @param handler answers the requests that match
   */
  void register(String method, String path, Handler handler);

  /** Handles one request. */
  @FunctionalInterface
  interface Handler {
    /**
     * Answers one request.
     *
     * @param request the request as the plugin sees it
     * @return the response to send
     * @throws Exception answered as {@code 500 PLUGIN_FAILED}
     */
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
    /** Copies the maps and the body, so the request cannot change under the handler. */
    public Request {
      pathParams = Map.copyOf(pathParams);
      query = Map.copyOf(query);
      headers = Map.copyOf(headers);
      body = body.clone();
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the decoded body
     */
    public String bodyText() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The first value of a query parameter.
     *
     * @param name the parameter's name
     * @return its first value, or empty when the query does not have it
     */
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
    /** Copies the body, so the plugin cannot change it while the host sends it. */
    public Response {
      body = body.clone();
    }

    /**
     * A JSON response from JSON text the plugin made.
     *
     * @param status HTTP status
     * @param json the JSON text, sent as UTF-8
     * @return a response of type {@code application/json}
     */
    public static Response json(int status, String json) {
      return new Response(
          status, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * A plain text response.
     *
     * @param status HTTP status
     * @param text the text, sent as UTF-8
     * @return a response of type {@code text/plain; charset=utf-8}
     */
    public static Response text(int status, String text) {
      return new Response(
          status,
          "text/plain; charset=utf-8",
          text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
