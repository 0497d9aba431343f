package dev.cas.plugins.ragretrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The plugin's REST API as one user calls it, for the integration tests. */
final class RagApi {

  static final String BASE = "/api/plugins/rag-retrieval";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TestHost host;
  private final String token;

  RagApi(TestHost host, String token) {
    this.host = host;
    this.token = token;
  }

  /** The package under test, built by {@code mvn package} (failsafe passes its path). */
  static Path pluginZip() {
    String zip = System.getProperty("plugin.zip");
    assertThat(zip).as("system property plugin.zip (set by failsafe)").isNotNull();
    return Path.of(zip);
  }

  static String json(Object value) {
    return JSON.writeValueAsString(value);
  }

  long createCollection(String name) {
    TestHost.Response r = post("/collections", json(Map.of("name", name)));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  long addDocument(long collection, String title, String content, String format) {
    TestHost.Response r =
        post(
            "/collections/" + collection + "/documents",
            json(Map.of("title", title, "content", content, "format", format)));
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().get("id").asLong();
  }

  /** The results of a search, asserting it succeeded. */
  JsonNode search(long collection, String query) {
    TestHost.Response r =
        post("/collections/" + collection + "/search", json(Map.of("query", query)));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("results");
  }

  JsonNode document(long collection, long document) {
    TestHost.Response r = get("/collections/" + collection + "/documents/" + document);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  TestHost.Response get(String path) {
    return host.get(BASE + path, token);
  }

  TestHost.Response post(String path, String body) {
    return host.post(BASE + path, token, body);
  }

  TestHost.Response delete(String path) {
    return host.delete(BASE + path, token);
  }

  /** The {@code error.message} of a refusal. */
  static String message(TestHost.Response r) {
    return r.json().get("error").get("message").asString();
  }
}
