package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.http.HttpApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/plugins/import} takes four bodies: the raw ZIP, a multipart upload, {@code
 * {"zipData": base64}} and the earlier system's JSON export {@code {plugin, documentation, data}}.
 */
class ImportBodyFormsTest {

  @TempDir static Path tmp;
  static TestHost host;
  static TestPlugins plugins;

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    plugins = new TestPlugins(tmp.resolve("build"));
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void rawZipBodyInstalls() {
    TestHost.Response r = host.importZip(plugins.buildZip(TestPlugins.simple("form-raw")), "");
    assertInstalledAndActive(r, "form-raw");
  }

  @Test
  void multipartUploadInstallsTheFilePart() throws IOException {
    Path zip = plugins.buildZip(TestPlugins.simple("form-multipart"));
    String boundary = "----cas-test-boundary-7d1";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    // A text field first: the host must skip it and take the part that carries a file.
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nnot the package\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"package\"; filename=\"form-multipart.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(zip));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

    TestHost.Response r =
        host.send(
            "POST",
            "/api/plugins/import",
            host.adminToken,
            "multipart/form-data; boundary=" + boundary,
            body.toByteArray());

    assertInstalledAndActive(r, "form-multipart");
  }

  @Test
  void multipartWithoutAFilePartIsABadRequest() {
    String boundary = "b0undary";
    byte[] body =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nno file\r\n--"
                + boundary
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    TestHost.Response r =
        host.send(
            "POST",
            "/api/plugins/import",
            host.adminToken,
            "multipart/form-data; boundary=" + boundary,
            body);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(r.json().get("message").asString()).isEqualTo("multipart body has no file part");
  }

  @Test
  void zipDataJsonBodyInstalls() {
    Path zip = plugins.buildZip(TestPlugins.simple("form-zipdata"));
    Path json = TestPackages.zipDataJson(zip, tmp.resolve("form-zipdata.json"));
    TestHost.Response r =
        host.sendFile("POST", "/api/plugins/import", host.adminToken, "application/json", json);
    assertInstalledAndActive(r, "form-zipdata");
  }

  @Test
  void jsonWithNeitherZipDataNorPluginIsABadRequest() {
    TestHost.Response r =
        host.post("/api/plugins/import", host.adminToken, "{\"something\": [1, 2]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(r.json().get("message").asString())
        .isEqualTo("import body must have [zipData] (base64 ZIP) or [plugin] (legacy JSON export)");
  }

  /** The earlier system's export carries no code: it becomes a docs-and-configuration plugin. */
  @Test
  void legacyJsonExportInstallsItsDocsAndConfiguration() {
    String legacy =
        """
        {
          "plugin": {
            "id": "legacy-faq", "name": "FAQ", "version": "2.1.0", "description": "Questions and answers",
            "status": "enabled", "category": "content",
            "configSchema": {
              "heading": {"type": "string", "default": "FAQ"},
              "maxItems": {"type": "integer", "minimum": 1}
            }
          },
          "documentation": [
            {"documentType": "readme", "title": "About the FAQ", "content": "# FAQ\\nAsk away.", "contentFormat": "markdown"},
            {"documentType": "user_guide", "title": "Using it", "content": "<p>Click <b>Ask</b></p><script>alert(1)</script>",
             "contentFormat": "html", "language": "de"}
          ],
          "data": {"config": {"heading": "Questions", "maxItems": 5}}
        }
        """;
    TestHost.Response r = host.post("/api/plugins/import", host.adminToken, legacy);
    assertInstalledAndActive(r, "legacy-faq");

    JsonNode docs = host.get("/api/plugins/legacy-faq/docs", host.userToken("lena", "user")).data();
    assertThat(
            StreamSupport.stream(docs.spliterator(), false)
                .map(
                    d ->
                        d.get("type").asString()
                            + "|"
                            + d.get("title").asString()
                            + "|"
                            + d.get("format").asString()
                            + "|"
                            + d.get("language").asString()))
        .containsExactly("readme|About the FAQ|markdown|en", "user_guide|Using it|html|de");
    JsonNode guide =
        host.get("/api/plugins/legacy-faq/docs/" + docs.get(1).get("id").asString()).data();
    assertThat(guide.get("content").asString()).isEqualTo("<p>Click <b>Ask</b></p>");
    JsonNode readme =
        host.get("/api/plugins/legacy-faq/docs/" + docs.get(0).get("id").asString()).data();
    assertThat(readme.get("content").asString()).isEqualTo("# FAQ\nAsk away.");

    JsonNode config = host.get("/api/plugins/legacy-faq/config").data();
    assertThat(HttpApi.JSON.convertValue(config.get("values"), Map.class))
        .isEqualTo(Map.of("heading", "Questions", "maxItems", 5));
    assertThat(config.get("secretsSet")).isEmpty();
  }

  private static void assertInstalledAndActive(TestHost.Response r, String id) {
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    assertThat(r.data().get("outcome").asString()).isEqualTo("installed");
    JsonNode plugin = host.get("/api/plugins/" + id).data();
    assertThat(plugin.get("id").asString()).isEqualTo(id);
    assertThat(plugin.get("state").asString()).isEqualTo("active");
    assertThat(
            StreamSupport.stream(host.get("/api/plugins").data().spliterator(), false)
                .map(p -> p.get("id").asString()))
        .contains(id);
  }

  @Test
  void pluginWithoutCodeExportsAsAPackageWithoutBackend() {
    String legacy =
        """
        {"plugin": {"id": "docs-only", "name": "Docs only", "version": "1.0.0", "description": "Just docs"},
         "documentation": [{"documentType": "readme", "title": "Hello", "content": "# Hello"}]}
        """;
    TestHost.Response imported = host.post("/api/plugins/import", host.adminToken, legacy);
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);

    TestHost.Response exported = host.get("/api/plugins/docs-only/export");

    assertThat(exported.status()).as(exported.text()).isEqualTo(200);
    Map<String, byte[]> entries = TestPackages.entries(exported.body());
    assertThat(entries.keySet().stream().filter(name -> name.startsWith("backend/"))).isEmpty();
    assertThat(entries.keySet()).contains("plugin.json", "docs/index.json", "checksum.sha256");
  }
}
