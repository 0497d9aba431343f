package dev.cas.testkit;

import tools.jackson.databind.JsonNode;

/** The plugin's configuration on the host, set and read as {@code admin} through the REST API. */
public final class PluginConfig {

  private final TestHost host;
  private final String path;

  PluginConfig(TestHost host, String pluginId) {
    this.host = host;
    this.path = "/api/plugins/" + pluginId + "/config";
  }

  /**
   * The current values (the schema's defaults for those never set; secrets left out).
   *
   * @return the values, keyed by name
   */
  public JsonNode get() {
    TestHost.Response r = host.get(path, host.adminToken());
    if (r.status() != 200) {
      throw new IllegalStateException("reading the configuration failed: " + r.text());
    }
    return r.data().get("values");
  }

  /**
   * Sets some values, e.g. {@code {"greeting": "Hi"}} ({@code null} resets one to its default);
   * fails when the host refuses them.
   *
   * @param json a JSON object of the keys to change; the others keep their values
   * @return the values after the change
   */
  public JsonNode set(String json) {
    TestHost.Response r = host.put(path, host.adminToken(), json);
    if (r.status() != 200) {
      throw new IllegalStateException("setting the configuration " + json + " failed: " + r.text());
    }
    return r.data().get("values");
  }
}
