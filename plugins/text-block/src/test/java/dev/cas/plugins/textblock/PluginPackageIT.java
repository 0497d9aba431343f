package dev.cas.plugins.textblock;

import static dev.cas.plugins.textblock.PluginHosts.BLOCKS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The built package: what it carries, what the host makes of it, and an export to another host. */
class PluginPackageIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> ROUTES =
      List.of(
          "GET /blocks",
          "POST /blocks",
          "GET /blocks/{blockId}",
          "PUT /blocks/{blockId}",
          "DELETE /blocks/{blockId}",
          "GET /settings");

  @TempDir static Path dataDir;
  private static TestHost host;

  @BeforeAll
  static void start() {
    host = PluginHosts.startWithPlugin(dataDir.resolve("a"));
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void packageCarriesManifestDefaultsComponentAndLibraries() throws IOException {
    try (ZipFile zip = new ZipFile(PluginHosts.pluginZip().toFile())) {
      JsonNode manifest = JSON.readTree(zip.getInputStream(zip.getEntry("plugin.json")));
      JsonNode export = JSON.readTree(zip.getInputStream(zip.getEntry("data/export.json")));

      assertThat(manifest.get("version").asString()).doesNotContain("${").isNotBlank();
      assertThat(export.get("records").isEmpty()).isTrue();
      JsonNode schema = manifest.get("configSchema");
      for (String key : List.of("fontSize", "alignment", "backgroundColor")) {
        assertThat(export.get("config").get(key)).as(key).isEqualTo(schema.get(key).get("default"));
      }
      assertThat(manifest.get("frontend").get("components").get(0).get("tag").asString())
          .isEqualTo("cas-text-block");
      assertThat(manifest.get("frontend").get("routes").get(0).get("path").asString())
          .isEqualTo("/text-blocks");
      String component = text(zip, "frontend/dist/text-block.js");
      assertThat(component).contains("customElements.define(\"cas-text-block\"");
      assertThat(zip.stream().map(e -> e.getName()).filter(n -> n.startsWith("backend/lib/")))
          .anyMatch(n -> n.contains("jackson-databind"));
    }
  }

  @Test
  void installedPluginIsActiveWithDocsListingEveryRoute() {
    JsonNode status = host.get("/api/plugins/text-block/status", host.adminToken()).data();
    assertThat(status.get("state").asString()).isEqualTo("active");
    assertThat(status.get("healthy").asBoolean()).isTrue();

    JsonNode docs = host.get("/api/plugins/text-block/docs", host.adminToken()).data();
    List<String> types = new ArrayList<>();
    docs.forEach(d -> types.add(d.get("type").asString()));
    assertThat(types).containsExactlyInAnyOrder("readme", "api");
    for (JsonNode doc : docs) {
      JsonNode page =
          host.get("/api/plugins/text-block/docs/" + doc.get("id").asString(), host.adminToken())
              .data();
      String content = page.get("content").asString().replace("`", "").replace(" | ", " ");
      for (String route : ROUTES) {
        assertThat(content).as(doc.get("type") + " documents " + route).contains(route);
      }
    }
  }

  /** The mission's round trip for this plugin: blocks follow their users to another host. */
  @Test
  void exportWithDataBringsEachUsersBlocksToAnotherHost() throws IOException {
    String carol = host.createUser("carol", "user");
    String dave = host.createUser("dave", "user");
    JsonNode carols =
        host.post(BLOCKS, carol, "{\"title\": \"Carol\", \"content\": \"c\", \"position\": 2}")
            .data();
    JsonNode daves = host.post(BLOCKS, dave, "{\"title\": \"Dave\", \"content\": \"d\"}").data();
    host.put(PluginHosts.CONFIG, host.adminToken(), "{\"fontSize\": 20}");

    TestHost.Response export =
        host.get("/api/plugins/text-block/export?includeData=true", host.adminToken());
    assertThat(export.status()).as(export.text()).isEqualTo(200);
    Path zip = Files.write(dataDir.resolve("export.zip"), export.body());

    try (TestHost other = TestHost.start(dataDir.resolve("b"))) {
      other.install(zip);
      String carolThere = other.createUser("carol", "user");
      String daveThere = other.createUser("dave", "user");

      assertThat(other.get(BLOCKS, carolThere).data()).containsExactly(carols);
      assertThat(other.get(BLOCKS, daveThere).data()).containsExactly(daves);
      assertThat(other.get(PluginHosts.SETTINGS, carolThere).data().get("fontSize").asInt())
          .isEqualTo(20);
      TestHost.Response next =
          other.post(BLOCKS, carolThere, "{\"title\": \"n\", \"content\": \"\"}");
      assertThat(next.status()).as(next.text()).isEqualTo(201);
    }
  }

  private static String text(ZipFile zip, String name) throws IOException {
    return new String(
        zip.getInputStream(zip.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
  }
}
