package dev.cas.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.PackageWriter;
import dev.cas.testkit.TestHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plugin pages in headless Chromium: text-block's page opened from the navigation, its blocks
 * created, edited and deleted through the sandboxed frame and the page's bridge; the page leaving
 * the navigation when the plugin is deactivated; and a hostile plugin page (built here) that tries
 * the routes around the frame's isolation from inside it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginFrameIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  private TestHost host;

  @BeforeAll
  void startHost() {
    host = PageHosts.start(dir);
    assertThat(host.install(PageHosts.textBlockZip()).status()).isEqualTo(201);
    assertThat(host.install(probePackage()).status()).isEqualTo(201);
  }

  @AfterAll
  void stopHost() {
    host.close();
  }

  private Browser browser(TestInfo info) {
    String name = info.getTestMethod().orElseThrow().getName();
    return new Browser(host.baseUrl(), dir.resolve(name), "frame-" + name);
  }

  @Test
  @Order(1)
  void textBlocksAreCreatedEditedAndDeletedThroughThePluginFrame(TestInfo info) {
    TestHost.Response config =
        host.put(
            "/api/plugins/text-block/config",
            host.adminToken(),
            "{\"fontSize\": 20, \"alignment\": \"center\", \"backgroundColor\": \"#fff4d6\"}");
    assertThat(config.status()).as(config.text()).isEqualTo(200);
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      WebElement link = b.visible(By.id("nav-ext-text-block-text-blocks"));
      assertThat(link.getText()).isEqualTo("Text blocks");
      b.screenshot("navigation");
      link.click();

      WebElement frame = b.visible(By.id("plugin-frame"));
      assertThat(frame.getDomAttribute("sandbox")).isEqualTo("allow-scripts allow-forms");
      assertThat(frame.getDomAttribute("src")).isEqualTo("/plugins/text-block/frame/text-blocks");
      b.driver.switchTo().frame(frame);
      SearchContext blocks = shadowOf(b, "cas-text-block");
      b.until(d -> blocks.findElements(By.cssSelector("p.empty")).size() == 1);
      b.driver.switchTo().defaultContent();
      b.screenshot("empty-page");

      b.driver.switchTo().frame(frame);
      blocks.findElement(By.id("new-title")).sendKeys("Shopping");
      blocks.findElement(By.id("new-content")).sendKeys("milk <b>and</b> bread");
      blocks.findElement(By.id("create-block")).click();
      WebElement article = b.until(d -> first(blocks, "article"));
      b.until(d -> article.getText().contains("Shopping"));
      assertThat(blocks.findElement(By.cssSelector("article .content")).getText())
          .isEqualTo("milk <b>and</b> bread");
      // The display settings, applied by the component.
      assertThat(article.getCssValue("font-size")).isEqualTo("20px");
      assertThat(article.getCssValue("text-align")).isEqualTo("center");
      assertThat(article.getCssValue("background-color")).isEqualTo("rgba(255, 244, 214, 1)");
      b.driver.switchTo().defaultContent();
      b.textIn(By.id("toasts"), "Block created");
      b.screenshot("created");
      assertThat(host.get("/api/plugins/text-block/blocks", host.adminToken()).data().size())
          .isEqualTo(1);

      b.driver.switchTo().frame(frame);
      blocks.findElement(By.cssSelector("article button.edit")).click();
      WebElement title = b.until(d -> first(blocks, "article input.edit-title"));
      title.clear();
      title.sendKeys("Groceries");
      b.screenshot("editing");
      blocks.findElement(By.cssSelector("article button.save")).click();
      b.until(
          d ->
              first(blocks, "article h3") != null
                  && first(blocks, "article h3").getText().equals("Groceries"));
      b.driver.switchTo().defaultContent();
      b.textIn(By.id("toasts"), "Block saved");
      b.screenshot("edited");
      assertThat(
              host.get("/api/plugins/text-block/blocks", host.adminToken())
                  .data()
                  .get(0)
                  .get("title")
                  .asString())
          .isEqualTo("Groceries");

      b.driver.switchTo().frame(frame);
      blocks.findElement(By.cssSelector("article button.delete")).click();
      b.until(d -> blocks.findElements(By.cssSelector("p.empty")).size() == 1);
      b.driver.switchTo().defaultContent();
      b.screenshot("deleted");
      assertThat(host.get("/api/plugins/text-block/blocks", host.adminToken()).data().size())
          .isZero();

      // A block made elsewhere by the same user: its event reaches the frame (event stream →
      // bridge → host.on) and the component shows it without a reload.
      assertThat(
              host.post(
                      "/api/plugins/text-block/blocks",
                      host.adminToken(),
                      "{\"title\": \"From elsewhere\", \"content\": \"x\"}")
                  .status())
          .isEqualTo(201);
      b.driver.switchTo().frame(frame);
      b.until(d -> first(blocks, "article h3") != null);
      assertThat(first(blocks, "article h3").getText()).isEqualTo("From elsewhere");
      b.driver.switchTo().defaultContent();
      b.screenshot("event");

      // Deactivated elsewhere: the page leaves the navigation and its view says so.
      assertThat(host.post("/api/plugins/text-block/deactivate", host.adminToken(), null).status())
          .isEqualTo(200);
      try {
        b.visible(By.id("no-plugin-page"));
        assertThat(b.driver.findElements(By.id("nav-ext-text-block-text-blocks"))).isEmpty();
        b.screenshot("deactivated");
      } finally {
        assertThat(host.post("/api/plugins/text-block/activate", host.adminToken(), null).status())
            .isEqualTo(200);
      }
      b.visible(By.id("plugin-frame"));
    }
  }

  @Test
  @Order(2)
  void aHostilePluginPageReachesNothingButItsOwnApiThroughTheBridge(TestInfo info)
      throws Exception {
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      b.visible(By.id("nav-ext-probe-probe")).click();
      WebElement frame = b.visible(By.id("plugin-frame"));
      b.driver.switchTo().frame(frame);
      String text = b.visible(By.id("results")).getText();
      b.driver.switchTo().defaultContent();
      b.screenshot("probe");
      // What each attempt met, kept beside the screenshots for the record.
      Files.writeString(
          Path.of(System.getProperty("screenshots.dir", "target/screenshots"))
              .resolve("frame-probe-results.json"),
          text);
      JsonNode r = JSON.readTree(text);

      // hello: the user's name and roles, the plugin, the route; no token of any kind.
      assertThat(r.get("hello").toString())
          .isEqualTo(
              "{\"user\":{\"username\":\"admin\",\"roles\":[\"admin\"]},"
                  + "\"plugin\":{\"id\":\"probe\",\"name\":\"Probe\",\"version\":\"1.0.0\"},"
                  + "\"route\":\"/probe\"}");
      String session = b.driver.manage().getCookieNamed("cas_session").getValue();
      assertThat(text).doesNotContain(session);
      assertThat(r.get("origin").asString()).isEqualTo("null");

      // The frame reaches no URL itself (CSP connect-src 'none').
      for (String attempt : new String[] {"directFetch", "directFetchAbsolute", "xhr"}) {
        assertThat(r.get(attempt).get("ok").asBoolean())
            .as(attempt + ": " + r.get(attempt))
            .isFalse();
      }
      // Opaque origin: no cookie, no storage, no reach into the page.
      assertThat(
              r.get("cookie").get("ok").asBoolean() ? r.get("cookie").get("value").asString() : "")
          .as(r.get("cookie").toString())
          .isEmpty();
      for (String attempt : new String[] {"localStorage", "parentDocument", "parentLocation"}) {
        assertThat(r.get(attempt).get("ok").asBoolean())
            .as(attempt + ": " + r.get(attempt))
            .isFalse();
        assertThat(r.get(attempt).get("error").asString()).as(attempt).startsWith("SecurityError");
      }
      assertThat(b.driver.getCurrentUrl()).endsWith("#/ext/probe/probe");

      // The bridge: only paths under /api/plugins/probe/, never the host's own endpoints there.
      for (String attempt :
          new String[] {
            "escape",
            "otherPlugin",
            "encoded",
            "encodedSlash",
            "absolute",
            "protocolRelative",
            "backslash",
            "hostEndpoint",
            "hostExport",
            "matrixEscape",
            "matrixOtherPlugin",
            "matrixHostEndpoint",
            "encodedHostEndpoint"
          }) {
        assertThat(r.get(attempt).get("code").asString())
            .as(attempt + ": " + r.get(attempt))
            .isEqualTo("BRIDGE_PATH_REFUSED");
      }
      assertThat(r.get("escape").get("error").asString())
          .isEqualTo(
              "HostError: the bridge calls only the plugin's own API under /api/plugins/probe/:"
                  + " [/../../api/users] holds an empty, . or .. segment");
      assertThat(r.get("hostExport").get("error").asString())
          .endsWith("[/export?includeData=true] is the host's own endpoint [export]");
      assertThat(r.get("method").get("code").asString()).isEqualTo("BRIDGE_METHOD_REFUSED");
      assertThat(r.get("topic").get("code").asString()).isEqualTo("BRIDGE_TOPIC_REFUSED");
      assertThat(r.get("packedTopic").get("code").asString()).isEqualTo("BRIDGE_TOPIC_REFUSED");
      // Its own API is reached as the signed-in user with the page's CSRF token: the forged
      // Authorization (401) and X-CSRF-Token (403) were dropped.
      assertThat(r.get("own").toString()).isEqualTo("{\"ok\":true,\"value\":\"404\"}");

      // Styles: a <style> element is refused by style-src 'self'; an adopted sheet applies.
      assertThat(r.get("inlineStyleColor").asString()).isNotEqualTo("rgb(255, 0, 0)");
      assertThat(r.get("adoptedStyleColor").asString()).isEqualTo("rgb(0, 128, 0)");

      // The frame navigates itself (it could load another site there): the bridge closes.
      b.driver.switchTo().frame(frame);
      b.driver.findElement(By.id("leave")).click();
      b.driver.switchTo().defaultContent();
      assertThat(b.visible(By.id("plugin-frame-closed")).getText())
          .isEqualTo("the plugin page navigated away; open it again from the navigation");
      b.screenshot("navigated-away");
    }
  }

  @Test
  @Order(3)
  void aPlainUserSeesOnlyThePagesTheirRoleAllows(TestInfo info) {
    host.createUser("uma", "user");
    try (Browser b = browser(info)) {
      b.signIn("uma", "pw-uma-testkit");
      b.visible(By.id("nav-ext-probe-probe"));
      b.visible(By.id("nav-ext-text-block-text-blocks"));
      assertThat(b.driver.findElements(By.id("nav-ext-probe-admin-only"))).isEmpty();
      b.screenshot("user-navigation");
      // The route is hidden, not a secret: opened by hand it is not offered either.
      b.open("/#/ext/probe/admin-only");
      b.visible(By.id("no-plugin-page"));
    }
  }

  private static SearchContext shadowOf(Browser b, String tag) {
    WebElement element = b.visible(By.tagName(tag));
    return b.until(d -> element.getShadowRoot());
  }

  private static WebElement first(SearchContext root, String css) {
    return root.findElements(By.cssSelector(css)).stream().findFirst().orElse(null);
  }

  /** A frontend-only plugin whose one page is probe.js (src/test/resources/probe). */
  private static Path probePackage() {
    Path folder = dir.resolve("probe");
    try (InputStream js = PluginFrameIT.class.getResourceAsStream("/probe/probe.js")) {
      Files.createDirectories(folder.resolve("frontend/dist"));
      Files.write(folder.resolve("frontend/dist/probe.js"), js.readAllBytes());
      Files.writeString(
          folder.resolve("plugin.json"),
          """
          {
            "id": "probe",
            "name": "Probe",
            "version": "1.0.0",
            "description": "Tries the routes around the plugin frame's isolation.",
            "frontend": {
              "components": [ { "tag": "probe-view", "module": "probe.js" } ],
              "routes": [
                { "path": "/probe", "title": "Probe", "component": "probe-view" },
                { "path": "/admin-only", "title": "Probe (admins)", "component": "probe-view",
                  "roles": ["admin"] }
              ]
            }
          }
          """);
      return PackageWriter.builder()
          .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
          .build()
          .write(folder, dir.resolve("probe-v1.0.0.zip"))
          .zip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
