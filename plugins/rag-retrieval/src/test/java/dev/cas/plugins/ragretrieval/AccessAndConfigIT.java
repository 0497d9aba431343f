package dev.cas.plugins.ragretrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Per-user isolation, request checks and chunking configuration, on a real host. */
class AccessAndConfigIT {

  private static final String CONFIG = "/api/plugins/rag-retrieval/config";
  private static final String STATUS = "/api/plugins/rag-retrieval/status";

  @TempDir static Path dataDir;

  private static TestHost host;
  private static RagApi ada;
  private static RagApi bob;

  @BeforeAll
  static void startHost() {
    host = TestHost.start(dataDir);
    host.install(RagApi.pluginZip());
    ada = new RagApi(host, host.createUser("ada", "user"));
    bob = new RagApi(host, host.createUser("bob", "user"));
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  @Test
  void oneUserCannotSeeSearchOrChangeAnothersCollections() {
    long secret = ada.createCollection("ada-private");
    long doc = ada.addDocument(secret, "Plans", "The launch code word is marmalade.", "text");
    String c = "/collections/" + secret;

    assertThat(bob.get("/collections").json()).isEmpty();
    for (TestHost.Response r :
        List.of(
            bob.get(c),
            bob.get(c + "/documents"),
            bob.get(c + "/documents/" + doc),
            bob.post(c + "/search", RagApi.json(Map.of("query", "marmalade"))),
            bob.post(c + "/answer", RagApi.json(Map.of("question", "marmalade"))),
            bob.post(c + "/documents", RagApi.json(Map.of("title", "x", "content", "intruder"))),
            bob.delete(c + "/documents/" + doc),
            bob.delete(c))) {
      assertThat(r.status()).as(r.text()).isEqualTo(404);
      assertThat(RagApi.message(r)).isEqualTo("collection [" + secret + "] does not exist");
    }

    long own = bob.createCollection("ada-private");
    bob.addDocument(own, "Jam", "Bob likes marmalade on toast.", "text");
    JsonNode bobHits = bob.search(own, "marmalade");
    assertThat(bobHits).hasSize(1);
    assertThat(bobHits.get(0).get("citation").get("title").asString()).isEqualTo("Jam");
    JsonNode adaHits = ada.search(secret, "marmalade");
    assertThat(adaHits).hasSize(1);
    assertThat(adaHits.get(0).get("citation").get("documentId").asLong()).isEqualTo(doc);
  }

  @Test
  void malformedRequestsAreRefusedWithTheReason() {
    long id = ada.createCollection("checks");
    String c = "/collections/" + id;

    assertRefused(ada.post("/collections", "{}"), 400, "field [name] is required");
    assertRefused(ada.post("/collections", "[1]"), 400, null);
    assertRefused(
        ada.post("/collections", RagApi.json(Map.of("name", "checks"))),
        409,
        "a collection named [checks] exists already");
    assertRefused(
        ada.post(
            c + "/documents", RagApi.json(Map.of("title", "t", "content", "c", "format", "pdf"))),
        400,
        "format [pdf] is not one of [text, markdown]");
    assertRefused(
        ada.post(
            c + "/documents",
            RagApi.json(Map.of("title", "t", "content", "# \n---", "format", "markdown"))),
        400,
        "document [t] has no text to index once its markup is removed");
    assertRefused(
        ada.post(c + "/search", RagApi.json(Map.of("query", "x", "limit", 6))),
        400,
        "limit [6] must be between 1 and maxResults [5]");
    assertRefused(
        ada.post(c + "/search", RagApi.json(Map.of("question", "x"))),
        400,
        "unknown fields [question]; this request takes [query, limit]");
    assertRefused(ada.post(c + "/search", "{\"query\": "), 400, null);
    assertRefused(ada.get("/collections/abc"), 404, "collection [abc] does not exist");
  }

  @Test
  void chunkSizeAndOverlapAreConfigurableWithinTheirRanges() {
    String admin = host.adminToken();
    try {
      TestHost.Response small = host.put(CONFIG, admin, RagApi.json(Map.of("chunkSize", 50)));
      assertThat(small.status()).isEqualTo(422);
      assertThat(small.json().get("message").asString())
          .isEqualTo(
              "invalid configuration for plugin [rag-retrieval]: [chunkSize] must be at least 100 but was 50");
      TestHost.Response wide = host.put(CONFIG, admin, RagApi.json(Map.of("chunkOverlap", 501)));
      assertThat(wide.status()).isEqualTo(422);
      assertThat(wide.json().get("message").asString())
          .isEqualTo(
              "invalid configuration for plugin [rag-retrieval]: [chunkOverlap] must be at most 500 but was 501");

      assertThat(
              host.put(CONFIG, admin, RagApi.json(Map.of("chunkSize", 200, "chunkOverlap", 50)))
                  .status())
          .isEqualTo(200);
      long id = ada.createCollection("small-chunks");
      long doc =
          ada.addDocument(
              id, "Many sentences", "This sentence has some words in it. ".repeat(30), "text");

      JsonNode chunks = ada.document(id, doc).get("chunkList");
      assertThat(chunks.size()).isGreaterThan(5);
      for (JsonNode chunk : chunks) {
        assertThat(chunk.get("text").asString()).hasSizeLessThanOrEqualTo(200).endsWith("in it.");
      }
    } finally {
      host.put(CONFIG, admin, RagApi.json(Map.of("chunkSize", 1000, "chunkOverlap", 200)));
    }
  }

  @Test
  void overlapNotBelowSizeIsRefusedClearly() {
    String admin = host.adminToken();
    String problem =
        "chunkOverlap [300] must be less than chunkSize [300]: change the plugin's configuration";
    long id = ada.createCollection("overlap");
    try {
      // Each key is within its range, so the host accepts; the plugin refuses the combination.
      assertThat(
              host.put(CONFIG, admin, RagApi.json(Map.of("chunkSize", 300, "chunkOverlap", 300)))
                  .status())
          .isEqualTo(200);

      assertRefused(
          ada.post(
              "/collections/" + id + "/documents",
              RagApi.json(Map.of("title", "t", "content", "text"))),
          503,
          problem);
      JsonNode status = host.get(STATUS, admin).data();
      assertThat(status.get("healthy").asBoolean()).isFalse();
      assertThat(status.get("health").asString()).isEqualTo(problem);

      host.post("/api/plugins/rag-retrieval/deactivate", admin, null);
      TestHost.Response activate = host.post("/api/plugins/rag-retrieval/activate", admin, null);
      assertThat(activate.status()).isGreaterThanOrEqualTo(400);
      assertThat(activate.json().get("message").asString()).contains(problem);
    } finally {
      host.put(CONFIG, admin, RagApi.json(Map.of("chunkSize", 1000, "chunkOverlap", 200)));
      TestHost.Response again = host.post("/api/plugins/rag-retrieval/activate", admin, null);
      assertThat(again.status()).as(again.text()).isEqualTo(200);
    }
    assertThat(host.get(STATUS, admin).data().get("healthy").asBoolean()).isTrue();
    ada.addDocument(id, "t", "Accepted again.", "text");
  }

  private static void assertRefused(TestHost.Response r, int status, String message) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.json().get("error").get("code").asString()).isNotBlank();
    if (message != null) {
      assertThat(RagApi.message(r)).isEqualTo(message);
    }
  }
}
