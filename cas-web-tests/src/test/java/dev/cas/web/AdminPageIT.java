package dev.cas.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The admin page in headless Chromium against a real host (embedded PostgreSQL, sandbox agent), one
 * browser session per scenario, in the order an administrator meets them: import with a preview, a
 * tampered package, configuration, export, what a plain user sees, the session's end, hostile text
 * in a package, deactivate and uninstall. Scenarios that need text-block installed install it
 * through the API when an earlier one has not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageIT {

  private static final String ID = "text-block";

  @TempDir static Path dir;
  private TestHost host;

  @BeforeAll
  void startHost() {
    host = PageHosts.start(dir);
  }

  @AfterAll
  void stopHost() {
    host.close();
  }

  private Browser browser(TestInfo info) {
    return new Browser(
        host.baseUrl(), dir.resolve(info.getTestMethod().orElseThrow().getName()), scenario(info));
  }

  private static String scenario(TestInfo info) {
    return info.getTestMethod().orElseThrow().getName();
  }

  private void ensureInstalled() {
    if (host.get("/api/plugins/" + ID, host.adminToken()).status() == 404) {
      host.install(PageHosts.textBlockZip());
    }
  }

  private List<String> apiIds() {
    return host.get("/api/plugins", host.adminToken())
        .data()
        .valueStream()
        .map(p -> p.get("id").asString())
        .toList();
  }

  @Test
  @Order(1)
  void importShowsAPreviewWithPermissionsAndSignerThenInstalls(TestInfo info) {
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      assertThat(b.listedIds()).doesNotContain(ID);
      b.screenshot("signed-in");

      b.driver.findElement(By.id("import-button")).click();
      b.visible(By.id("drop-zone"));
      b.driver
          .findElement(By.id("package-file"))
          .sendKeys(PageHosts.textBlockZip().toAbsolutePath().toString());
      WebElement preview = b.visible(By.id("preview"));
      assertThat(preview.getDomAttribute("data-outcome")).isEqualTo("install");
      assertThat(b.driver.findElement(By.id("preview-outcome")).getText())
          .isEqualTo("Install Text block 1.0.0-SNAPSHOT");
      assertThat(
              b.driver.findElements(By.cssSelector("#preview-permissions li")).stream()
                  .map(WebElement::getText)
                  .toList())
          .containsExactly("database.read", "database.write", "http.routes", "events.publish");
      String signer = b.driver.findElement(By.id("preview-signer")).getText();
      assertThat(signer)
          .startsWith("Signer\ntrusted signed by key ")
          .endsWith("(host policy: if_present)");
      assertThat(b.driver.findElement(By.id("preview-database")).getText())
          .contains("001_create_text_blocks.sql");
      assertThat(b.driver.findElement(By.id("preview-dependencies")).getText())
          .contains("@cas/plugin-api ^1.0.0 — satisfied");
      assertThat(b.driver.findElement(By.id("preview-pages")).getText())
          .contains(
              "Text blocks at /text-blocks — frontend/dist/text-block.js, in a sandboxed frame;"
                  + " shown to admin, operator, user");
      // The dry run changed nothing.
      assertThat(apiIds()).doesNotContain(ID);
      b.screenshot("import-preview");

      b.driver.findElement(By.id("confirm-import")).click();
      WebElement done = b.visible(By.id("import-done"));
      assertThat(done.getText()).contains("plugin [text-block] 1.0.0-SNAPSHOT installed");
      // Its page (frontend.routes) joins the navigation.
      assertThat(b.visible(By.id("nav-ext-text-block-text-blocks")).getText())
          .isEqualTo("Text blocks");
      b.screenshot("imported");

      // A second sample, through the API, for the list's sake.
      host.install(PageHosts.ldapAuthZip());
      b.driver.findElement(By.id("nav-plugins")).click();
      b.row("ldap-auth");
      WebElement row = b.row(ID);
      assertThat(row.findElement(By.cssSelector(".state")).getText()).isEqualTo("active");
      assertThat(row.findElement(By.cssSelector(".signer")).getText()).isEqualTo("trusted");
      assertThat(row.findElement(By.cssSelector(".denials")).getText()).isEqualTo("0");
      b.screenshot("plugin-list");
    }
  }

  @Test
  @Order(2)
  void aTamperedPackageShowsItsRefusalAndChangesNothing(TestInfo info) throws Exception {
    ensureInstalled();
    List<String> before = apiIds();
    Path bad =
        PageHosts.tampered(
            PageHosts.textBlockZip(),
            "docs/readme.md",
            Files.createDirectories(dir.resolve("bad")).resolve("text-block-tampered.zip"));
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      List<String> listed = b.listedIds();
      b.open("/#/import");
      b.visible(By.id("drop-zone"));
      b.driver.findElement(By.id("package-file")).sendKeys(bad.toAbsolutePath().toString());
      WebElement refused = b.visible(By.id("import-refused"));
      assertThat(refused.findElement(By.cssSelector(".reason-code")).getText())
          .isEqualTo("CHECKSUM_MISMATCH");
      assertThat(refused.findElement(By.cssSelector(".error-message")).getText())
          .startsWith("checksum mismatch for [docs/readme.md]: expected [");
      assertThat(refused.getText()).contains("Nothing was changed.");
      assertThat(b.driver.findElements(By.id("confirm-import"))).isEmpty();
      b.screenshot("refused");

      b.driver.findElement(By.id("nav-plugins")).click();
      assertThat(b.listedIds()).isEqualTo(listed);
    }
    assertThat(apiIds()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void configurationShowsFieldErrorsOfTheFormAndOfTheHostThenSaves(TestInfo info) {
    ensureInstalled();
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      b.open("/#/plugins/" + ID);
      b.visible(By.id("tab-config")).click();
      WebElement size = b.visible(By.id("config-fontSize"));
      assertThat(size.getDomProperty("value")).isEqualTo("14");
      size.clear();
      size.sendKeys("200");
      new Select(b.driver.findElement(By.id("config-alignment"))).selectByValue("center");
      b.driver.findElement(By.id("save-config")).click();
      // The form checks first, in the host's words, and sends nothing.
      b.textIn(By.id("config-fontSize-error"), "[fontSize]");
      assertThat(b.driver.findElement(By.id("config-fontSize-error")).getText())
          .isEqualTo("[fontSize] must be at most 72 but was 200");
      assertThat(b.driver.findElement(By.id("config-alignment-error")).getText()).isEmpty();
      assertThat(config().get("fontSize").asInt()).isEqualTo(14);
      b.screenshot("field-error");

      // What the host refuses is shown under its field too: the values sent past the form's check.
      b.driver.executeScript(
          "document.querySelector('cas-schema-form').dispatchEvent(new CustomEvent('cas-submit',"
              + " {detail: {values: {fontSize: 300, alignment: 'center'}}}))");
      b.textIn(By.id("config-fontSize-error"), "300");
      assertThat(b.driver.findElement(By.id("config-fontSize-error")).getText())
          .isEqualTo("[fontSize] must be at most 72 but was 300");
      assertThat(b.driver.findElement(By.id("config-fontSize")).getDomAttribute("aria-invalid"))
          .isEqualTo("true");
      assertThat(config().get("fontSize").asInt()).isEqualTo(14);
      b.screenshot("host-field-error");

      size = b.driver.findElement(By.id("config-fontSize"));
      size.clear();
      size.sendKeys("18");
      b.driver.findElement(By.id("save-config")).click();
      b.visible(By.id("config-saved"));
      assertThat(b.driver.findElement(By.id("config-fontSize")).getDomProperty("value"))
          .isEqualTo("18");
      b.screenshot("saved");
    }
    assertThat(config().get("fontSize").asInt()).isEqualTo(18);
    assertThat(config().get("alignment").asString()).isEqualTo("center");
  }

  private JsonNode config() {
    return host.get("/api/plugins/" + ID + "/config", host.adminToken()).data().get("values");
  }

  @Test
  @Order(4)
  void exportDownloadsAPackageWhoseChecksumsHold(TestInfo info) {
    ensureInstalled();
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      b.open("/#/plugins/" + ID);
      b.visible(By.id("export-with-data")).click();
      b.driver.findElement(By.id("export")).click();
      Path zip = b.download();
      b.screenshot("exported");
      assertThat(zip.getFileName().toString()).matches("text-block-v1\\.0\\.0-SNAPSHOT-\\d+\\.zip");

      // docs/FORMAT.md: checksum.sha256 lists every other file but signature.sig, sorted, as
      // "<64 hex>  <path>\n"; each digest must match.
      Map<String, byte[]> entries = PageHosts.entries(zip);
      String checksums = new String(entries.get("checksum.sha256"), StandardCharsets.UTF_8);
      assertThat(checksums).endsWith("\n");
      Map<String, String> listed = new LinkedHashMap<>();
      for (String line : checksums.split("\n")) {
        assertThat(line).matches("[0-9a-f]{64}  .+");
        listed.put(line.substring(66), line.substring(0, 64));
      }
      assertThat(List.copyOf(listed.keySet())).isSorted();
      Map<String, String> actual = new LinkedHashMap<>();
      entries.forEach(
          (path, bytes) -> {
            if (!path.equals("checksum.sha256") && !path.equals("signature.sig")) {
              actual.put(path, PageHosts.sha256(bytes));
            }
          });
      assertThat(listed).isEqualTo(actual);
      assertThat(new String(entries.get("plugin.json"), StandardCharsets.UTF_8))
          .contains("\"id\": \"text-block\"");
      assertThat(entries).containsKey("data/export.json");
    }
  }

  @Test
  @Order(5)
  void anUpgradeDroppedOnThePageShowsWhatChangesBeforeItRuns(TestInfo info) throws Exception {
    ensureInstalled();
    Path next =
        PageHosts.rewritten(
            PageHosts.textBlockZip(),
            dir.resolve("text-block-v1.0.1.zip"),
            folder -> {
              Path manifest = folder.resolve("plugin.json");
              Files.writeString(
                  manifest,
                  Files.readString(manifest)
                      .replace("\"version\": \"1.0.0-SNAPSHOT\"", "\"version\": \"1.0.1\"")
                      .replace("\"events.publish\"]", "\"events.publish\", \"events.subscribe\"]"));
            });
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      b.open("/#/import");
      WebElement zone = b.visible(By.id("drop-zone"));
      // A file dropped on the zone, as a drag from the desktop delivers it.
      b.driver.executeScript(
          "const bytes = Uint8Array.from(atob(arguments[1]), c => c.charCodeAt(0));"
              + "const dt = new DataTransfer();"
              + "dt.items.add(new File([bytes], 'text-block-v1.0.1.zip', {type: 'application/zip'}));"
              + "arguments[0].dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));",
          zone,
          java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(next)));
      WebElement preview = b.visible(By.id("preview"));
      assertThat(preview.getDomAttribute("data-outcome")).isEqualTo("upgrade");
      assertThat(b.driver.findElement(By.id("preview-outcome")).getText())
          .isEqualTo("Upgrade Text block from 1.0.0-SNAPSHOT to 1.0.1");
      assertThat(b.driver.findElement(By.id("preview-changes")).getText())
          .contains(
              "Version: 1.0.0-SNAPSHOT → 1.0.1",
              "Permissions: + events.subscribe",
              "Tables: no change");
      assertThat(b.driver.findElement(By.id("preview-signer")).getText()).contains("unsigned");
      b.screenshot("upgrade-preview");
      assertThat(host.get("/api/plugins/" + ID, host.adminToken()).data().get("version").asString())
          .isEqualTo("1.0.0-SNAPSHOT");

      b.driver.findElement(By.id("confirm-import")).click();
      assertThat(b.visible(By.id("import-done")).getText())
          .contains("plugin [text-block] 1.0.1 upgraded");
      b.screenshot("upgraded");
    }
    assertThat(host.get("/api/plugins/" + ID, host.adminToken()).data().get("version").asString())
        .isEqualTo("1.0.1");
  }

  @Test
  @Order(6)
  void aUserSeesNoAdminActionAndTheApiRefusesThem(TestInfo info) {
    ensureInstalled();
    String token = host.createUser("ada", "user");
    try (Browser b = browser(info)) {
      b.signIn("ada", "pw-ada-testkit");
      assertThat(b.driver.findElement(By.id("who")).getText()).isEqualTo("ada (user)");
      assertThat(b.row(ID).getText()).contains("Text block");
      for (String admin :
          List.of("nav-import", "nav-users", "nav-tokens", "nav-audit", "import-button")) {
        assertThat(b.driver.findElements(By.id(admin))).as(admin).isEmpty();
      }
      b.screenshot("user-list");
      b.open("/#/plugins/" + ID);
      b.visible(By.id("plugin-title"));
      b.visible(By.id("tab-docs"));
      for (String admin : List.of("plugin-actions", "export", "uninstall-box", "tab-config")) {
        assertThat(b.driver.findElements(By.id(admin))).as(admin).isEmpty();
      }
      b.screenshot("user-plugin-page");

      // The page hides them; the API refuses them anyway, with the browser's own session too.
      Object refusal =
          b.driver.executeAsyncScript(
              "const done = arguments[arguments.length - 1];"
                  + "fetch('/api/plugins/text-block/deactivate', {method: 'POST'})"
                  + ".then(r => r.json()).then(j => done(j.error.code + ': ' + j.message));");
      assertThat(refusal)
          .isEqualTo(
              "CSRF_TOKEN_MISSING: a request signed in by the session cookie must send the"
                  + " session's CSRF token in header X-CSRF-Token");
    }
    TestHost.Response deactivate = host.post("/api/plugins/" + ID + "/deactivate", token, null);
    assertThat(deactivate.status()).isEqualTo(403);
    assertThat(deactivate.json().get("message").asString())
        .isEqualTo("user [ada] lacks role [operator] for POST /api/plugins/text-block/deactivate");
    assertThat(host.delete("/api/plugins/" + ID, token).status()).isEqualTo(403);
    assertThat(host.get("/api/plugins/" + ID + "/export", token).status()).isEqualTo(403);
  }

  @Test
  @Order(7)
  void anEndedSessionReturnsToSignIn(TestInfo info) {
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      Cookie session = b.driver.manage().getCookieNamed("cas_session");
      assertThat(session.isHttpOnly()).isTrue();
      assertThat(session.getSameSite()).isEqualTo("Strict");

      // Signed in elsewhere too (earlier scenarios' browsers are still signed in as well): the page
      // lists that session beside this browser's and ends it.
      String elsewhere = signInElsewhere("admin", TestHost.ADMIN_PASSWORD);
      b.driver.findElement(By.id("nav-sessions")).click();
      By otherRow = By.xpath("//tbody[@id='my-session-rows']/tr[contains(., 'Java-http-client')]");
      WebElement other = b.visible(otherRow);
      assertThat(other.getDomAttribute("data-current")).isEqualTo("false");
      assertThat(b.driver.findElements(By.cssSelector("#my-session-rows tr[data-current='true']")))
          .singleElement()
          .satisfies(row -> assertThat(row.getText()).contains("this browser"));
      b.screenshot("my-sessions");
      other.findElement(By.cssSelector("button")).click();
      b.until(d -> d.findElements(otherRow).isEmpty());
      assertThat(withCookie(elsewhere, "/api/auth/me").statusCode()).isEqualTo(401);
      assertThat(withCookie("cas_session=" + session.getValue(), "/api/auth/me").statusCode())
          .isEqualTo(200);

      // The session ends on the host (an admin ends it, as when it is idle or expires): the next
      // call is refused.
      TestHost.Response end = host.delete("/api/users/admin/sessions", host.adminToken());
      assertThat(end.status()).as(end.text()).isEqualTo(200);
      b.driver.findElement(By.id("nav-audit")).click();
      WebElement notice = b.visible(By.id("notice"));
      assertThat(notice.getText()).isEqualTo("the session has ended; sign in again");
      b.visible(By.id("sign-in-form"));
      b.screenshot("session-ended");
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      b.driver.findElement(By.id("sign-out")).click();
      assertThat(b.visible(By.id("notice")).getText()).isEqualTo("You are signed out.");
      assertThat(b.driver.manage().getCookieNamed("cas_session")).isNull();
    }
  }

  @Test
  @Order(8)
  void deactivateThenUninstallWithPurgeConfirmedByTypingTheId(TestInfo info) {
    ensureInstalled();
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      b.open("/#/plugins/" + ID);
      b.visible(By.id("deactivate")).click();
      b.visible(By.id("activate"));
      assertThat(b.driver.findElement(By.cssSelector(".toolbar [data-badge]")).getText())
          .isEqualTo("inactive");
      b.screenshot("deactivated");

      // The confirmation is a modal dialog: focus moves into it.
      b.driver.findElement(By.id("uninstall-open")).click();
      b.visible(By.cssSelector("#uninstall-box dialog"));
      b.visible(By.id("purge-data")).click();
      WebElement go = b.driver.findElement(By.id("uninstall"));
      b.driver.findElement(By.id("confirm-id")).sendKeys("text-bloc");
      assertThat(go.isEnabled()).isFalse();
      b.driver.findElement(By.id("confirm-id")).sendKeys("k");
      b.until(ExpectedConditions.elementToBeClickable(go));
      b.screenshot("uninstall-confirm");
      go.click();
      assertThat(b.visible(By.id("uninstalled")).getText())
          .startsWith("uninstalled [text-block] — its data was purged.");
      b.driver.findElement(By.cssSelector("#uninstalled a")).click();
      assertThat(b.listedIds()).doesNotContain(ID);
      b.screenshot("uninstalled");
    }
    assertThat(host.get("/api/plugins/" + ID, host.adminToken()).status()).isEqualTo(404);
  }

  @Test
  @Order(9)
  void hostileTextInAPackageStaysText(TestInfo info) {
    String payload = "<img src=x onerror=\"window.pwned=1\">";
    Path hostile =
        PageHosts.rewritten(
            PageHosts.textBlockZip(),
            dir.resolve("hostile.zip"),
            folder -> {
              Path manifest = folder.resolve("plugin.json");
              Files.writeString(
                  manifest,
                  Files.readString(manifest)
                      .replace(
                          "\"name\": \"Text block\"",
                          "\"name\": \"Text " + payload.replace("\"", "\\\"") + "\"")
                      .replace(
                          "\"description\": \"Per-user",
                          "\"description\": \"<script>window.pwned=2</script>Per-user"));
              Files.writeString(
                  folder.resolve("docs/readme.md"),
                  "# Hostile\n\nA paragraph "
                      + payload
                      + " and [a link](javascript:window.pwned=3).\n");
              Files.writeString(
                  folder.resolve("docs/evil.html"),
                  "<p>safe paragraph</p><script>window.pwned=4</script>"
                      + "<img src=x onerror=\"window.pwned=5\"><a href=\"javascript:window.pwned=6\">x</a>");
              Files.writeString(
                  folder.resolve("docs/index.json"),
                  "[{\"type\":\"readme\",\"title\":\"Readme\",\"format\":\"markdown\",\"file\":\"readme.md\"},"
                      + "{\"type\":\"user_guide\",\"title\":\"Guide\",\"format\":\"html\",\"file\":\"evil.html\"}]");
            });
    if (host.get("/api/plugins/" + ID, host.adminToken()).status() != 404) {
      assertThat(host.delete("/api/plugins/" + ID + "?purgeData=true", host.adminToken()).status())
          .isEqualTo(200);
    }
    host.install(hostile);
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      WebElement row = b.row(ID);
      assertThat(row.findElement(By.cssSelector(".plugin-name")).getText())
          .isEqualTo("Text " + payload);
      assertThat(row.getText()).contains("<script>window.pwned=2</script>Per-user");
      assertThat(row.findElements(By.tagName("img"))).isEmpty();
      b.open("/#/plugins/" + ID);
      b.visible(By.id("tab-docs")).click();
      b.textIn(By.id("doc-content"), "A paragraph <img");
      assertThat(b.driver.findElements(By.cssSelector("#doc-content img, #doc-content a")))
          .isEmpty();
      List<WebElement> docs =
          b.until(
              d -> {
                List<WebElement> links = d.findElements(By.cssSelector("#doc-list a"));
                return links.size() == 2 ? links : null;
              });
      docs.get(1).click();
      b.textIn(By.id("doc-content"), "safe paragraph");
      assertThat(b.driver.findElements(By.cssSelector("#doc-content script, #doc-content img")))
          .isEmpty();
      for (WebElement a : b.driver.findElements(By.cssSelector("#doc-content a"))) {
        assertThat(a.getDomAttribute("href")).isNull();
      }
      b.screenshot("hostile-docs");
      assertThat(b.driver.executeScript("return window.pwned === undefined")).isEqualTo(true);
    }
  }

  @Test
  @Order(10)
  void aSecretSettingIsWriteOnlyAndTheStatusShowsHealth(TestInfo info) {
    if (host.get("/api/plugins/ldap-auth", host.adminToken()).status() == 404) {
      host.install(PageHosts.ldapAuthZip());
    }
    String secret = "bind-secret-" + System.nanoTime();
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      b.open("/#/plugins/ldap-auth");
      b.visible(By.id("tab-status")).click();
      b.textIn(By.id("health"), "healthy");
      assertThat(b.driver.findElement(By.id("sandbox-denials")).getText()).matches("\\d+(\\n.*)*");
      b.screenshot("status");

      b.driver.findElement(By.id("tab-config")).click();
      WebElement field = b.visible(By.id("config-bindPassword"));
      assertThat(field.getDomAttribute("type")).isEqualTo("password");
      assertThat(field.getDomProperty("value")).isEmpty();
      field.sendKeys(secret);
      b.driver.findElement(By.id("save-config")).click();
      b.visible(By.id("config-saved"));
      field = b.driver.findElement(By.id("config-bindPassword"));
      assertThat(field.getDomProperty("value")).isEmpty();
      assertThat(field.getDomAttribute("placeholder"))
          .isEqualTo("set — type a new value to replace it");
      b.screenshot("secret-set");
      // Reloaded from the host: the stored secret never reaches the page.
      b.driver.navigate().refresh();
      b.visible(By.id("tab-config")).click();
      b.visible(By.id("config-bindPassword"));
      assertThat(b.driver.getPageSource()).doesNotContain(secret);
    }
    JsonNode config = host.get("/api/plugins/ldap-auth/config", host.adminToken()).data();
    assertThat(config.toString()).doesNotContain(secret);
    assertThat(config.get("secretsSet").toString()).contains("bindPassword");
  }

  @Test
  @Order(11)
  void adminPagesCreateAUserShowATokenOnceAndFilterTheAudit(TestInfo info) {
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      b.driver.findElement(By.id("nav-users")).click();
      b.visible(By.id("new-username")).sendKeys("olga");
      b.driver.findElement(By.id("new-password")).sendKeys("olga-password");
      new Select(b.driver.findElement(By.id("new-role"))).selectByValue("operator");
      b.driver.findElement(By.id("create-user")).click();
      b.textIn(By.id("user-message"), "user [olga] created");
      assertThat(b.visible(By.cssSelector("#user-rows tr[data-user='olga']")).getText())
          .isEqualTo("olga olga operator Sessions…");
      b.screenshot("users");

      // olga signs in elsewhere; the admin sees that browser session and ends it.
      String olgaCookie = signInElsewhere("olga", "olga-password");
      b.driver.findElement(By.id("sessions-olga")).click();
      WebElement session = b.visible(By.cssSelector("#session-rows tr[data-session-id]"));
      assertThat(session.getText()).contains("Java-http-client");
      b.screenshot("user-sessions");
      b.driver.findElement(By.id("end-sessions")).click();
      b.textIn(By.id("sessions-message"), "ended");
      assertThat(b.driver.findElement(By.id("sessions-message")).getText())
          .isEqualTo("1 session(s) of user [olga] ended");
      b.textIn(By.id("session-rows"), "olga has no open browser session.");
      assertThat(withCookie(olgaCookie, "/api/auth/me").statusCode()).isEqualTo(401);
      b.driver.findElement(By.id("sessions-close")).click();

      b.driver.findElement(By.id("nav-tokens")).click();
      b.visible(By.id("token-name")).sendKeys("ci");
      b.driver.findElement(By.id("create-token")).click();
      String token = b.visible(By.id("token-value")).getDomProperty("value");
      assertThat(token).startsWith("cas_");
      assertThat(host.get("/api/auth/me", token).data().get("username").asString())
          .isEqualTo("admin");
      b.screenshot("token");
      // Shown once: the page forgets it when it is left.
      b.driver.findElement(By.id("nav-plugins")).click();
      b.driver.findElement(By.id("nav-tokens")).click();
      b.visible(By.id("token-form"));
      assertThat(b.driver.findElements(By.id("token-value"))).isEmpty();

      b.driver.findElement(By.id("nav-audit")).click();
      b.visible(By.id("audit-action")).sendKeys("user.create");
      b.driver.findElement(By.id("audit-filter")).click();
      b.until(
          d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#audit-rows tr"));
            List<String> texts = rows.stream().map(WebElement::getText).toList();
            return !texts.isEmpty()
                && texts.stream().allMatch(t -> t.contains(" user.create "))
                && texts.stream().anyMatch(t -> t.contains("admin user.create olga ok"));
          });
      b.screenshot("audit");
    }
  }

  /** Signs a user in as a browser elsewhere would; answers the session cookie. */
  private String signInElsewhere(String username, String password) {
    java.net.http.HttpResponse<String> r =
        http(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(host.baseUrl() + "/api/auth/session"))
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String cookie = r.headers().firstValue("set-cookie").orElseThrow();
    return cookie.substring(0, cookie.indexOf(';'));
  }

  private java.net.http.HttpResponse<String> withCookie(String cookie, String path) {
    return http(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(host.baseUrl() + path))
            .header("Cookie", cookie)
            .build());
  }

  private static java.net.http.HttpResponse<String> http(java.net.http.HttpRequest request) {
    try {
      return java.net.http.HttpClient.newHttpClient()
          .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
