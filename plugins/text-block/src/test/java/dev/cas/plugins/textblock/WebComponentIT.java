package dev.cas.plugins.textblock;

import static dev.cas.plugins.textblock.PluginHosts.BLOCKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cas.testkit.TestHost;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged {@code <cas-text-block>} against a real host, run by Node with a minimal DOM and a
 * stand-in for the frame's bridge (src/test/resources/component-harness.mjs). Skipped where Node is
 * not installed. In Chromium, inside the host's sandboxed frame, cas-web-tests' PluginFrameIT
 * drives it.
 */
class WebComponentIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  private static TestHost host;
  private static Path component;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(nodeAvailable(), "node is not on the PATH");
    try (ZipFile zip = new ZipFile(PluginHosts.pluginZip().toFile())) {
      component = dir.resolve("text-block.js");
      Files.write(
          component,
          zip.getInputStream(zip.getEntry("frontend/dist/text-block.js")).readAllBytes());
    }
    host = PluginHosts.startWithPlugin(dir.resolve("host"));
  }

  @AfterAll
  static void stop() {
    if (host != null) {
      host.close();
    }
  }

  @Test
  void rendersTheUsersBlocksAsTextInTheConfiguredStyle() throws Exception {
    String erin = host.createUser("erin", "user");
    String markup = "<img src=x onerror=alert(1)> & more";
    host.post(BLOCKS, erin, "{\"title\": \"Second\", \"content\": \"two\", \"position\": 2}");
    host.post(
        BLOCKS, erin, "{\"title\": \"First\", \"content\": \"" + markup + "\", \"position\": 1}");
    host.put(
        PluginHosts.CONFIG,
        host.adminToken(),
        "{\"fontSize\": 20, \"alignment\": \"right\", \"backgroundColor\": \"#102030\"}");

    JsonNode rendered = render(erin, "");

    assertThat(rendered.get("root").get("children").get(0).get("className").asString())
        .isEqualTo("new-block");
    JsonNode list = rendered.get("root").get("children").get(1);
    assertThat(list.get("className").asString()).isEqualTo("blocks");
    List<String> titles = new ArrayList<>();
    for (JsonNode article : list.get("children")) {
      assertThat(article.get("style").get("fontSize").asString()).isEqualTo("20px");
      assertThat(article.get("style").get("textAlign").asString()).isEqualTo("right");
      assertThat(article.get("style").get("backgroundColor").asString()).isEqualTo("#102030");
      titles.add(article.get("children").get(0).get("text").asString());
    }
    assertThat(titles).containsExactly("First", "Second");
    assertThat(list.get("children").get(0).get("children").get(1).get("text").asString())
        .isEqualTo(markup);
    assertThat(rendered.get("events").isEmpty()).isTrue();
  }

  @Test
  void showsOneBlockWhenGivenItsId() throws Exception {
    String finn = host.createUser("finn", "user");
    host.post(BLOCKS, finn, "{\"title\": \"Other\", \"content\": \"o\"}");
    String id =
        host.post(BLOCKS, finn, "{\"title\": \"Only\", \"content\": \"this\"}")
            .data()
            .get("id")
            .asString();

    JsonNode articles = render(finn, id).get("root").get("children").get(1).get("children");

    assertThat(articles.size()).isEqualTo(1);
    assertThat(articles.get(0).get("blockId").asString()).isEqualTo(id);
  }

  @Test
  void reportsTheHostsReasonWhenARequestFails() throws Exception {
    JsonNode rendered = render("not-a-token", "");

    JsonNode message = rendered.get("root").get("children").get(1);
    assertThat(message.get("className").asString()).isEqualTo("error");
    assertThat(message.get("text").asString()).isEqualTo("the token is unknown or expired");
    assertThat(rendered.get("events").get(0).get("type").asString())
        .isEqualTo("cas-text-block:error");
  }

  private static JsonNode render(String token, String blockId)
      throws IOException, InterruptedException, URISyntaxException {
    Path harness = Path.of(WebComponentIT.class.getResource("/component-harness.mjs").toURI());
    Process node =
        new ProcessBuilder(
                "node", harness.toString(), component.toString(), host.baseUrl(), token, blockId)
            .redirectErrorStream(true)
            .start();
    String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
    assertThat(node.exitValue()).as(output).isZero();
    return JSON.readTree(output);
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
