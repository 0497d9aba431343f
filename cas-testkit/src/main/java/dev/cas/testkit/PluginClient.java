package dev.cas.testkit;

/**
 * HTTP calls to a host as one signed-in user. A path that does not start with {@code /api/} is the
 * plugin's own: {@code get("/notes")} calls {@code /api/plugins/<id>/notes}.
 */
public final class PluginClient {

  private final TestHost host;
  private final String pluginId;
  private final String username;
  private final String token;

  PluginClient(TestHost host, String pluginId, String username, String token) {
    this.host = host;
    this.pluginId = pluginId;
    this.username = username;
    this.token = token;
  }

  /**
   * Who it is signed in as.
   *
   * @return the user's name
   */
  public String username() {
    return username;
  }

  /**
   * Their bearer token.
   *
   * @return the token sent as {@code Authorization: Bearer}
   */
  public String token() {
    return token;
  }

  /**
   * A {@code GET} as this user.
   *
   * @param path relative to the plugin's routes, or a host path starting {@code /api/}
   * @return the answer as is
   */
  public TestHost.Response get(String path) {
    return host.get(url(path), token);
  }

  /**
   * A {@code POST} of JSON as this user.
   *
   * @param path relative to the plugin's routes, or a host path starting {@code /api/}
   * @param json the body
   * @return the answer as is
   */
  public TestHost.Response post(String path, String json) {
    return host.post(url(path), token, json);
  }

  /**
   * A {@code PUT} of JSON as this user.
   *
   * @param path relative to the plugin's routes, or a host path starting {@code /api/}
   * @param json the body
   * @return the answer as is
   */
  public TestHost.Response put(String path, String json) {
    return host.put(url(path), token, json);
  }

  /**
   * A {@code DELETE} as this user.
   *
   * @param path relative to the plugin's routes, or a host path starting {@code /api/}
   * @return the answer as is
   */
  public TestHost.Response delete(String path) {
    return host.delete(url(path), token);
  }

  /**
   * The host path a plugin-relative path maps to.
   *
   * @param path e.g. {@code /notes}; a path starting {@code /api/} is kept as is
   * @return e.g. {@code /api/plugins/notes/notes}
   */
  public String url(String path) {
    if (path.startsWith("/api/")) {
      return path;
    }
    return "/api/plugins/" + pluginId + (path.startsWith("/") ? path : "/" + path);
  }
}
