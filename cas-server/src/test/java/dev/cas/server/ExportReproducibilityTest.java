package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.http.HttpApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Exporting an unchanged plugin twice gives the same bytes but for metadata.json's time (and its
 * line in checksum.sha256), and the very same bytes with {@code ?reproducible=true}; the file is
 * named {@code <id>-v<version>-<epochMillis>.zip}.
 */
class ExportReproducibilityTest {

  private static final Pattern FILE_NAME =
      Pattern.compile("attachment; filename=\"notes-v1\\.0\\.0-(\\d{13})\\.zip\"");

  @TempDir static Path tmp;
  static TestHost host;

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    assertThat(
            host.importZip(
                    new TestPlugins(tmp.resolve("build")).buildZip(NotesPlugin.spec("1.0.0")), "")
                .status())
        .isEqualTo(201);
    assertThat(
            host.put(
                    "/api/plugins/notes/config",
                    host.adminToken,
                    "{\"greeting\": \"hello\", \"apiKey\": \"k-1\"}")
                .status())
        .isEqualTo(200);
    assertThat(host.post("/api/plugins/notes/notes", host.adminToken, "a note").status())
        .isEqualTo(201);
    assertThat(
            host.post(
                    "/api/plugins/notes/docs",
                    host.adminToken,
                    "{\"type\": \"readme\", \"title\": \"Read me\", \"format\": \"markdown\", \"content\": \"# Notes\"}")
                .status())
        .isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void twoExportsDifferOnlyInMetadataTime() throws InterruptedException {
    long before = System.currentTimeMillis();
    TestHost.Response first = export("?includeData=true");
    Thread.sleep(5);
    TestHost.Response second = export("?includeData=true");

    long firstMillis = epochMillis(first);
    assertThat(firstMillis).isBetween(before, System.currentTimeMillis());
    assertThat(epochMillis(second)).isGreaterThan(firstMillis);

    Map<String, byte[]> a = TestPackages.entries(first.body());
    Map<String, byte[]> b = TestPackages.entries(second.body());
    assertThat(List.copyOf(b.keySet())).isEqualTo(List.copyOf(a.keySet()));
    assertThat(a.keySet())
        .contains("plugin.json", "data/export.json", "docs/index.json", "backend/dist/notes.jar");
    for (String name : a.keySet()) {
      switch (name) {
        case "metadata.json" ->
            assertThat(withoutTime(b.get(name))).isEqualTo(withoutTime(a.get(name)));
        case "checksum.sha256" ->
            assertThat(withoutMetadataLine(b.get(name)))
                .isEqualTo(withoutMetadataLine(a.get(name)));
        default -> assertThat(b.get(name)).as(name).isEqualTo(a.get(name));
      }
    }
    assertThat(first.body()).isNotEqualTo(second.body());
  }

  @Test
  void reproducibleExportsAreIdenticalBytes() throws InterruptedException {
    for (String query : List.of("?reproducible=true", "?reproducible=true&includeData=true")) {
      TestHost.Response first = export(query);
      Thread.sleep(5);
      TestHost.Response second = export(query);
      assertThat(second.body()).as(query).isEqualTo(first.body());
      assertThat(second.headers().firstValue("content-disposition"))
          .isEqualTo(first.headers().firstValue("content-disposition"));
      // The time is the plugin's last change, to the second.
      assertThat(epochMillis(first) % 1000).isZero();
    }
  }

  @Test
  void metadataAndAuditSayWhetherTheExportCarriesTableRows() {
    Map<String, byte[]> plain = TestPackages.entries(export("").body());
    assertThat(HttpApi.JSON.readTree(plain.get("metadata.json")).get("includesData").asBoolean())
        .isFalse();
    assertThat(HttpApi.JSON.readTree(plain.get("data/export.json")).has("records")).isFalse();
    assertThat(HttpApi.JSON.readTree(plain.get("data/export.json")).get("config").toString())
        .isEqualTo("{\"greeting\":\"hello\"}");
    assertThat(lastExportAudit()).isEqualTo("no data (configuration only)");

    Map<String, byte[]> withData = TestPackages.entries(export("?includeData=true").body());
    assertThat(HttpApi.JSON.readTree(withData.get("metadata.json")).get("includesData").asBoolean())
        .isTrue();
    assertThat(
            HttpApi.JSON
                .readTree(withData.get("data/export.json"))
                .get("records")
                .get("notes")
                .size())
        .isEqualTo(1);
    assertThat(lastExportAudit()).isEqualTo("with data");
  }

  private static String lastExportAudit() {
    return host.get("/api/audit?plugin=notes&limit=50")
        .data()
        .valueStream()
        .filter(e -> e.get("action").asString().equals("export"))
        .findFirst()
        .orElseThrow()
        .get("detail")
        .asString();
  }

  /**
   * FORMAT.md: an export adds backend/sbom.cdx.json, the CycloneDX bill of materials of the bundled
   * libraries, covered by the checksums like every other file.
   */
  @Test
  void exportAddsTheBillOfMaterials() {
    Map<String, byte[]> entries = TestPackages.entries(export("").body());
    assertThat(entries).containsKey("backend/sbom.cdx.json");
    assertThat(new String(entries.get("checksum.sha256"), StandardCharsets.UTF_8))
        .contains("  backend/sbom.cdx.json\n");
    tools.jackson.databind.JsonNode bom =
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(entries.get("backend/sbom.cdx.json"));
    assertThat(bom.get("bomFormat").asString()).isEqualTo("CycloneDX");
    assertThat(bom.get("specVersion").asString()).isEqualTo("1.5");
    assertThat(bom.at("/metadata/component/name").asString()).isEqualTo("notes");
    assertThat(bom.at("/metadata/component/version").asString()).isEqualTo("1.0.0");
    assertThat(bom.get("components").isArray()).isTrue();
  }

  private static TestHost.Response export(String query) {
    TestHost.Response r = host.get("/api/plugins/notes/export" + query);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/zip");
    return r;
  }

  private static long epochMillis(TestHost.Response r) {
    String disposition = r.headers().firstValue("content-disposition").orElseThrow();
    Matcher m = FILE_NAME.matcher(disposition);
    assertThat(m.matches()).as(disposition).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static ObjectNode withoutTime(byte[] metadata) {
    ObjectNode node = (ObjectNode) HttpApi.JSON.readTree(metadata);
    assertThat(node.has("createdAt")).isTrue();
    node.remove("createdAt");
    return node;
  }

  private static List<String> withoutMetadataLine(byte[] checksums) {
    return new String(checksums, StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.endsWith("  metadata.json"))
        .toList();
  }
}
