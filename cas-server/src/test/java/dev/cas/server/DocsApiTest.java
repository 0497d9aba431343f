package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.database.Sql;
import dev.cas.server.http.HttpApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Documentation through the API: created, read, updated and deleted with types and formats checked,
 * HTML cleaned on the way in, every revision kept, and exports carrying the docs as edited.
 */
class DocsApiTest {

  private static final List<String> TYPES =
      List.of(
          "readme",
          "api",
          "user_guide",
          "installation",
          "troubleshooting",
          "changelog",
          "examples");

  @TempDir static Path tmp;
  static TestHost host;
  static String reader;

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    TestHost.Response imported =
        host.importZip(
            new TestPlugins(tmp.resolve("build")).buildZip(NotesPlugin.spec("1.0.0")), "");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    reader = host.userToken("uma", "user");
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void everyTypeAndFormatIsAccepted() {
    for (String type : TYPES) {
      for (String format : List.of("markdown", "html", "plain")) {
        TestHost.Response r =
            host.post(
                "/api/plugins/notes/docs",
                host.adminToken,
                doc(type, "All " + type + " " + format, format, "text"));
        assertThat(r.status()).as(type + "/" + format + ": " + r.text()).isEqualTo(201);
        assertThat(r.data().get("type").asString()).isEqualTo(type);
        assertThat(r.data().get("format").asString()).isEqualTo(format);
        assertThat(host.delete("/api/plugins/notes/docs/" + r.data().get("id").asString()).status())
            .isEqualTo(200);
      }
    }
  }

  @Test
  void unknownTypesFormatsAndMissingFieldsAreBadRequests() {
    TestHost.Response type =
        host.post("/api/plugins/notes/docs", host.adminToken, doc("novel", "T", "markdown", "x"));
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(type.json().get("message").asString())
        .startsWith("doc type [novel] is not one of [")
        .contains(TYPES);

    TestHost.Response format =
        host.post("/api/plugins/notes/docs", host.adminToken, doc("readme", "T", "pdf", "x"));
    assertThat(format.status()).isEqualTo(400);
    assertThat(format.json().get("message").asString())
        .startsWith("doc format [pdf] is not one of [")
        .contains("markdown", "html", "plain");

    TestHost.Response title =
        host.post(
            "/api/plugins/notes/docs",
            host.adminToken,
            "{\"type\": \"readme\", \"format\": \"markdown\", \"content\": \"x\"}");
    assertThat(title.status()).isEqualTo(400);
    assertThat(title.json().get("message").asString()).isEqualTo("field [title] is required");

    String id =
        host.post(
                "/api/plugins/notes/docs", host.adminToken, doc("readme", "Keep", "markdown", "x"))
            .data()
            .get("id")
            .asString();
    TestHost.Response update =
        host.put("/api/plugins/notes/docs/" + id, host.adminToken, "{\"format\": \"docx\"}");
    assertThat(update.status()).isEqualTo(400);
    assertThat(update.json().get("message").asString())
        .startsWith("doc format [docx] is not one of [");
    assertThat(host.get("/api/plugins/notes/docs/" + id).data().get("format").asString())
        .isEqualTo("markdown");
    assertThat(host.delete("/api/plugins/notes/docs/" + id).status()).isEqualTo(200);
  }

  @Test
  void docsLiveThroughCreateReadUpdateDeleteWithCleanHtmlAndRevisions() {
    String attack =
        "<h1>Guide</h1><script>alert('x')</script><p onclick=\"steal()\">Read <a href=\"javascript:alert(1)\">this</a></p>"
            + "<img src=\"https://example.org/a.png\" onerror=\"steal()\">";
    TestHost.Response created =
        host.post(
            "/api/plugins/notes/docs", host.adminToken, doc("user_guide", "Guide", "html", attack));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = created.data().get("id").asString();
    String first = created.data().get("content").asString();
    assertThat(first)
        .contains("<h1>Guide</h1>", "Read", "https://example.org/a.png")
        .doesNotContain("<script", "alert(", "onclick", "onerror", "javascript:");
    assertThat(created.data().get("revision").asInt()).isEqualTo(1);

    JsonNode listed = host.get("/api/plugins/notes/docs", reader).data();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("title").asString()).isEqualTo("Guide");
    assertThat(host.get("/api/plugins/notes/docs/" + id, reader).data().get("content").asString())
        .isEqualTo(first);

    TestHost.Response updated =
        host.put(
            "/api/plugins/notes/docs/" + id,
            host.adminToken,
            "{\"title\": \"Guide v2\", \"content\": \"<p onmouseover=\\\"x()\\\">Second</p><script>y()</script>\"}");
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(updated.data().get("content").asString()).isEqualTo("<p>Second</p>");
    assertThat(updated.data().get("revision").asInt()).isEqualTo(2);
    assertThat(updated.data().get("type").asString()).isEqualTo("user_guide");

    List<Map<String, Object>> revisions =
        Sql.query(
            host.server.host().db().admin(),
            "SELECT revision, content, changed_by FROM cas.plugin_doc_revisions WHERE doc_id = ? ORDER BY revision",
            Long.parseLong(id));
    assertThat(revisions)
        .containsExactly(
            Map.of("revision", 1, "content", first, "changed_by", "admin"),
            Map.of("revision", 2, "content", "<p>Second</p>", "changed_by", "admin"));

    // The export carries the docs as edited, not as the package had them.
    Map<String, byte[]> export = TestPackages.entries(host.get("/api/plugins/notes/export").body());
    JsonNode index = HttpApi.JSON.readTree(export.get("docs/index.json"));
    assertThat(index).hasSize(1);
    assertThat(index.get(0).get("title").asString()).isEqualTo("Guide v2");
    assertThat(index.get(0).get("type").asString()).isEqualTo("user_guide");
    assertThat(index.get(0).get("format").asString()).isEqualTo("html");
    assertThat(
            new String(
                export.get("docs/" + index.get(0).get("file").asString()), StandardCharsets.UTF_8))
        .isEqualTo("<p>Second</p>");

    assertThat(host.delete("/api/plugins/notes/docs/" + id).status()).isEqualTo(200);
    TestHost.Response gone = host.get("/api/plugins/notes/docs/" + id, reader);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.errorCode()).isEqualTo("NOT_FOUND");
    assertThat(gone.json().get("message").asString())
        .isEqualTo("plugin [notes] has no doc [" + id + "]");
    assertThat(host.delete("/api/plugins/notes/docs/" + id).status()).isEqualTo(404);
    assertThat(TestPackages.entries(host.get("/api/plugins/notes/export").body()))
        .doesNotContainKey("docs/index.json");
  }

  private static String doc(String type, String title, String format, String content) {
    return HttpApi.JSON.writeValueAsString(
        Map.of("type", type, "title", title, "format", format, "content", content));
  }
}
