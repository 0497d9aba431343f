package dev.cas.plugins.ragretrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Ranking, citations and answers over a small corpus of distinct topics, on a real host. */
class RetrievalIT {

  @TempDir static Path dataDir;

  private static TestHost host;
  private static RagApi ada;
  private static long library;
  private static final Map<String, Long> IDS = new LinkedHashMap<>();

  @BeforeAll
  static void startHostWithCorpus() {
    host = TestHost.start(dataDir);
    host.install(RagApi.pluginZip());
    ada = new RagApi(host, host.createUser("ada", "user"));
    library = ada.createCollection("library");
    Corpus.DOCUMENTS.forEach(
        (title, content) ->
            IDS.put(title, ada.addDocument(library, title, content, Corpus.formatOf(title))));
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  @Test
  void theDocumentAboutTheTopicRanksFirst() {
    Map<String, String> expected =
        Map.of(
            "how do plants turn sunlight into sugar", "Photosynthesis",
            "lava and ash during an eruption", "Volcanoes",
            "three-way handshake with SYN and ACK", "TCP connections",
            "wild yeast starter and fermentation of dough", "Sourdough bread",
            "Sicilian defence against e4", "Chess openings",
            "how did the Romans carry water to their cities", "Roman aqueducts");

    expected.forEach(
        (query, title) -> {
          JsonNode first = ada.search(library, query).get(0);
          assertThat(first.get("citation").get("title").asString()).as(query).isEqualTo(title);
          assertThat(first.get("citation").get("documentId").asLong()).isEqualTo(IDS.get(title));
          assertThat(first.get("rank").asInt()).isEqualTo(1);
          assertThat(first.get("score").asDouble()).isPositive();
        });
  }

  @Test
  void citationsPointAtTheChunkAndTheRangeOfTheOriginal() {
    JsonNode hit = ada.search(library, "durian smell").get(0);

    JsonNode citation = hit.get("citation");
    assertThat(citation.get("title").asString()).isEqualTo("Fruit of the world");
    JsonNode doc = ada.document(library, citation.get("documentId").asLong());
    int ordinal = citation.get("chunkOrdinal").asInt();
    int start = citation.get("startOffset").asInt();
    int end = citation.get("endOffset").asInt();
    assertThat(doc.get("chunks").asInt()).isGreaterThan(2);
    assertThat(ordinal).isGreaterThan(0);
    JsonNode chunk = doc.get("chunkList").get(ordinal);
    assertThat(chunk.get("startOffset").asInt()).isEqualTo(start);
    assertThat(chunk.get("endOffset").asInt()).isEqualTo(end);
    assertThat(chunk.get("text").asString())
        .isEqualTo(hit.get("text").asString())
        .contains("durian");
    assertThat(doc.get("content").asString().substring(start, end))
        .isEqualTo(hit.get("text").asString());
  }

  @Test
  void resultsAndCitationsMarkWhereTheQueryWordsAreInTheirText() {
    JsonNode hit = ada.search(library, "durian smell").get(0);

    assertThat(marked(hit)).contains("durian").allMatch(w -> w.matches("(?i)durians?|smells?"));
    TestHost.Response r =
        ada.post(
            "/collections/" + library + "/answer",
            RagApi.json(Map.of("question", "durian smell", "limit", 1)));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode cited = r.json().get("citations").get(0);
    assertThat(cited.get("text").asString()).isEqualTo(hit.get("text").asString());
    assertThat(marked(cited)).isEqualTo(marked(hit));
  }

  /** The words a result or citation marks in its text. */
  private static java.util.List<String> marked(JsonNode hit) {
    String text = hit.get("text").asString();
    return hit.get("highlights")
        .valueStream()
        .map(s -> text.substring(s.get("start").asInt(), s.get("end").asInt()))
        .toList();
  }

  @Test
  void markdownIsIndexedAsTextAndCitedInTheMarkdown() {
    JsonNode hit = ada.search(library, "Pont du Gard arches").get(0);

    assertThat(hit.get("text").asString()).doesNotContain("**", "##", "](");
    JsonNode citation = hit.get("citation");
    String content =
        ada.document(library, citation.get("documentId").asLong()).get("content").asString();
    String source =
        content.substring(citation.get("startOffset").asInt(), citation.get("endOffset").asInt());
    assertThat(source).contains("**Pont du Gard**");
  }

  @Test
  void answerQuotesTheTopPassagesWithNumberedCitations() {
    TestHost.Response r =
        ada.post(
            "/collections/" + library + "/answer",
            RagApi.json(
                Map.of("question", "What gas do plants release in photosynthesis?", "limit", 2)));

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode answer = r.json();
    JsonNode citations = answer.get("citations");
    assertThat(citations).hasSize(2);
    assertThat(citations.get(0).get("number").asInt()).isEqualTo(1);
    assertThat(citations.get(1).get("number").asInt()).isEqualTo(2);
    assertThat(citations.get(0).get("title").asString()).isEqualTo("Photosynthesis");
    assertThat(answer.get("answer").asString())
        .startsWith("[1] ")
        .contains("\n\n[2] ")
        .contains("oxygen");
    assertThat(answer.get("method").asString())
        .isEqualTo("extractive: the top passages, quoted; no language model");
  }

  @Test
  void answerSaysSoWhenNothingMatches() {
    TestHost.Response r =
        ada.post(
            "/collections/" + library + "/answer",
            RagApi.json(Map.of("question", "quasar neutrino")));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("answer").asString())
        .isEqualTo("No passage of this collection matches the question.");
    assertThat(r.json().get("citations")).isEmpty();
  }

  @Test
  void deletedDocumentsLeaveTheResultsAndListings() {
    long scratch = ada.createCollection("scratch");
    long kept =
        ada.addDocument(scratch, "Kites", "Kites fly on steady wind over open beaches.", "text");
    long gone =
        ada.addDocument(
            scratch,
            "Gliders",
            "Gliders ride rising warm air called thermals, without wind.",
            "text");
    assertThat(ada.search(scratch, "wind")).hasSize(2);

    assertThat(ada.delete("/collections/" + scratch + "/documents/" + gone).status())
        .isEqualTo(204);

    JsonNode results = ada.search(scratch, "wind");
    assertThat(results).hasSize(1);
    assertThat(results.get(0).get("citation").get("documentId").asLong()).isEqualTo(kept);
    JsonNode listed = ada.get("/collections/" + scratch + "/documents").json();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("title").asString()).isEqualTo("Kites");
    assertThat(ada.get("/collections/" + scratch + "/documents/" + gone).status()).isEqualTo(404);

    assertThat(ada.delete("/collections/" + scratch).status()).isEqualTo(204);
    TestHost.Response after =
        ada.post("/collections/" + scratch + "/search", RagApi.json(Map.of("query", "wind")));
    assertThat(after.status()).isEqualTo(404);
    assertThat(RagApi.message(after)).isEqualTo("collection [" + scratch + "] does not exist");
  }

  @Test
  void collectionsListTheirDocumentCount() {
    JsonNode collections = ada.get("/collections").json();

    JsonNode lib = null;
    for (JsonNode c : collections) {
      if (c.get("name").asString().equals("library")) {
        lib = c;
      }
    }
    assertThat(lib).isNotNull();
    assertThat(lib.get("id").asLong()).isEqualTo(library);
    assertThat(lib.get("documents").asInt()).isEqualTo(Corpus.DOCUMENTS.size());
  }

  @Test
  void theApiDocListsEveryEndpointOfTheManifest() {
    String admin = host.adminToken();
    JsonNode docs = host.get("/api/plugins/rag-retrieval/docs", admin).data();
    assertThat(docs).extracting(d -> d.get("type").asString()).containsExactly("readme", "api");

    String api =
        host.get("/api/plugins/rag-retrieval/docs/" + docs.get(1).get("id").asLong(), admin)
            .data()
            .get("content")
            .asString();
    JsonNode endpoints =
        host.get("/api/plugins/rag-retrieval", admin).data().get("manifest").get("endpoints");
    assertThat(endpoints.size()).isEqualTo(6);
    for (JsonNode path : endpoints) {
      assertThat(api).contains("`" + path.asString() + "`");
    }
  }
}
