package dev.cas.plugins.ragretrieval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The database is the source of truth: an export with data answers the same on another host. */
class ExportImportIT {

  @TempDir Path dir;

  @Test
  void exportedCollectionsSearchTheSameOnAFreshHost() throws Exception {
    JsonNode before;
    long collection;
    Path exported = dir.resolve("rag-retrieval-export.zip");
    try (TestHost a = TestHost.start(Files.createDirectories(dir.resolve("a")))) {
      a.install(RagApi.pluginZip());
      RagApi ada = new RagApi(a, a.createUser("ada", "user"));
      collection = ada.createCollection("library");
      Corpus.DOCUMENTS.forEach(
          (title, content) -> ada.addDocument(collection, title, content, Corpus.formatOf(title)));
      before = ada.search(collection, "durian smell");

      TestHost.Response export =
          a.get("/api/plugins/rag-retrieval/export?includeData=true", a.adminToken());
      assertThat(export.status()).as(export.text()).isEqualTo(200);
      Files.write(exported, export.body());
    }

    try (TestHost b = TestHost.start(Files.createDirectories(dir.resolve("b")))) {
      b.install(exported);
      RagApi ada = new RagApi(b, b.createUser("ada", "user"));

      JsonNode collections = ada.get("/collections").json();
      assertThat(collections).hasSize(1);
      assertThat(collections.get(0).get("id").asLong()).isEqualTo(collection);
      assertThat(collections.get(0).get("documents").asInt()).isEqualTo(Corpus.DOCUMENTS.size());
      assertThat(ada.search(collection, "durian smell")).isEqualTo(before);
      long next = ada.createCollection("after import");
      assertThat(next).isGreaterThan(collection);
    }
  }
}
