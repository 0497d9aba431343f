package dev.cas.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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

/**
 * The sample plugins' own pages, in headless Chromium against a real host with the sandbox agent:
 * each page is opened from the admin page's navigation and used inside its sandboxed frame.
 * ldap-auth's Directory page against a real LDAP directory (configure, test the connection, search,
 * import); rag-retrieval's Document search page (collection, upload, search, answer with marked
 * citations); and a plain user, who is not shown the Directory page and whom its API refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleFrontendsIT {

  private static final String LDAP = "ldap-auth";
  private static final String RAG = "rag-retrieval";
  private static final String WRONG_BIND_PASSWORD = "Wrong-Bind-Pw-3c81f0";

  @TempDir static Path dir;
  private TestHost host;
  private TestDirectory directory;

  @BeforeAll
  void start() throws Exception {
    directory = TestDirectory.start();
    host = PageHosts.start(dir);
  }

  @AfterAll
  void stop() {
    host.close();
    directory.close();
  }

  private Browser browser(TestInfo info) {
    String name = info.getTestMethod().orElseThrow().getName();
    return new Browser(host.baseUrl(), dir.resolve(name), name);
  }

  /** Installs the sample through the API unless it is installed already. */
  private void ensureInstalled(String id, Path zip) {
    if (host.get("/api/plugins/" + id, host.adminToken()).status() == 404) {
      host.install(zip);
    }
  }

  @Test
  @Order(1)
  void ldapDirectoryPageTestsTheConnectionSearchesAndImports(TestInfo info) {
    ensureInstalled(LDAP, PageHosts.ldapAuthZip());
    try (Browser b = browser(info)) {
      b.signIn("admin", TestHost.ADMIN_PASSWORD);
      configureLdap(b, WRONG_BIND_PASSWORD);

      // A refused bind is shown as the plugin says it, and the typed password appears nowhere.
      SearchContext page = PluginPages.open(b, LDAP, "/directory", "cas-ldap-admin");
      PluginPages.find(b, page, "#test-connection").click();
      WebElement failed = PluginPages.find(b, page, "#connection-result[data-outcome='error']");
      assertThat(failed.findElement(By.cssSelector(".code")).getText())
          .isEqualTo("SERVICE_BIND_FAILED");
      assertThat(failed.findElement(By.cssSelector(".message")).getText())
          .isEqualTo(
              "LDAP server ["
                  + directory.url()
                  + "] rejected bind DN ["
                  + TestDirectory.SERVICE_DN
                  + "]: invalid credentials (check bindDn and bindPassword)");
      assertThat(PluginPages.text(page)).doesNotContain(WRONG_BIND_PASSWORD);
      b.screenshot("connection-refused");
      b.driver.switchTo().defaultContent();

      configureLdap(b, TestDirectory.SERVICE_PASSWORD);
      page = PluginPages.open(b, LDAP, "/directory", "cas-ldap-admin");
      PluginPages.find(b, page, "#test-connection").click();
      WebElement connected = PluginPages.find(b, page, "#connection-result[data-outcome='ok']");
      assertThat(connected.getText())
          .isEqualTo(
              "Connected to "
                  + directory.url()
                  + " and bound as "
                  + TestDirectory.SERVICE_DN
                  + " (TLS: none); base DN "
                  + TestDirectory.PEOPLE_DN
                  + " exists.");
      assertThat(PluginPages.text(page)).doesNotContain(TestDirectory.SERVICE_PASSWORD);
      b.screenshot("connection-ok");

      PluginPages.find(b, page, "#search-users").click();
      assertThat(usernames(b, page, 3)).containsExactlyInAnyOrder("alice", "albert", "bob");
      WebElement query = PluginPages.find(b, page, "#user-query");
      query.sendKeys("al");
      PluginPages.find(b, page, "#search-users").click();
      assertThat(usernames(b, page, 2)).containsExactlyInAnyOrder("alice", "albert");
      WebElement alice = PluginPages.find(b, page, "#user-rows tr[data-username='alice']");
      assertThat(alice.findElement(By.cssSelector("td[data-key='displayName']")).getText())
          .isEqualTo("Alice Liddell");
      assertThat(alice.findElement(By.cssSelector("td[data-key='email']")).getText())
          .isEqualTo("alice@example.com");
      alice.findElement(By.cssSelector("input.pick")).click();
      b.screenshot("search-selected");

      PluginPages.find(b, page, "#import-users").click();
      WebElement imported = PluginPages.find(b, page, "#import-result[data-outcome='ok']");
      assertThat(imported.getText()).isEqualTo("Imported alice (role user).");
      b.screenshot("imported");
    }
    JsonNode alice = hostUser("alice").orElseThrow(() -> new AssertionError("alice not imported"));
    assertThat(alice.get("displayName").asString()).isEqualTo("Alice Liddell");
    assertThat(alice.get("roles").get(0).asString()).isEqualTo("user");
    assertThat(hostUser("albert")).isEmpty();
  }

  /** Sets serverUrl, the DNs and the bind password on the plugin's Configuration tab. */
  private void configureLdap(Browser b, String bindPassword) {
    b.open("/#/plugins/" + LDAP);
    b.visible(By.id("tab-config")).click();
    type(b, "config-serverUrl", directory.url());
    type(b, "config-baseDn", TestDirectory.PEOPLE_DN);
    type(b, "config-bindDn", TestDirectory.SERVICE_DN);
    type(b, "config-bindPassword", bindPassword);
    b.driver.findElement(By.id("save-config")).click();
    b.visible(By.id("config-saved"));
  }

  private static void type(Browser b, String id, String text) {
    WebElement input = b.visible(By.id(id));
    input.clear();
    input.sendKeys(text);
  }

  /** The usernames of the result table, once it has {@code expected} rows. */
  private static List<String> usernames(Browser b, SearchContext page, int expected) {
    return b.until(
        d -> {
          List<String> names =
              page.findElements(By.cssSelector("#user-rows tr[data-username]")).stream()
                  .map(r -> r.getDomAttribute("data-username"))
                  .toList();
          return names.size() == expected ? names : null;
        });
  }

  private Optional<JsonNode> hostUser(String username) {
    return host.get("/api/users", host.adminToken())
        .data()
        .valueStream()
        .filter(u -> u.get("username").asString().equals(username))
        .findFirst();
  }

  @Test
  @Order(2)
  void ragPageUploadsSearchesAndAnswersWithMarkedCitations(TestInfo info) throws Exception {
    ensureInstalled(RAG, PageHosts.ragRetrievalZip());
    String token = host.createUser("rita", "user");
    Path file = Files.createDirectories(dir.resolve("uploads")).resolve("Fruit notes.md");
    Files.writeString(
        file,
        """
        # Fruit notes

        The **durian** is famous for its smell, which some find sweet and others unbearable.

        Apples keep for months in a cool cellar. <img src=x onerror="document.title='pwned'">
        """,
        StandardCharsets.UTF_8);
    try (Browser b = browser(info)) {
      b.signIn("rita", "pw-rita-testkit");
      SearchContext page = PluginPages.open(b, RAG, "/library", "cas-rag-library");

      PluginPages.find(b, page, "#new-collection-name").sendKeys("Kitchen");
      PluginPages.find(b, page, "#create-collection").click();
      PluginPages.find(b, page, "#collection-view:not([hidden])");
      assertThat(PluginPages.find(b, page, "#collection-title").getText()).isEqualTo("Kitchen");

      PluginPages.find(b, page, "#document-file").sendKeys(file.toAbsolutePath().toString());
      PluginPages.find(b, page, "#upload-document").click();
      WebElement added = PluginPages.find(b, page, "#upload-result[data-outcome='ok']");
      assertThat(added.getText()).isEqualTo("Added Fruit notes (markdown, 1 chunk).");
      PluginPages.find(b, page, "#documents li[data-document-id]");
      b.screenshot("uploaded");

      PluginPages.find(b, page, "#query").sendKeys("durian smells");
      PluginPages.find(b, page, "#search").click();
      WebElement result = PluginPages.find(b, page, "#results .passage");
      assertThat(marks(result)).containsExactly("durian", "smell");
      assertThat(result.findElement(By.cssSelector(".doc-link")).getText())
          .isEqualTo("Fruit notes");
      b.screenshot("search");

      PluginPages.find(b, page, "#answer").click();
      WebElement cited =
          PluginPages.find(b, page, "#answer-view:not([hidden]) #citations .passage");
      assertThat(cited.findElement(By.cssSelector(".number")).getText()).isEqualTo("[1]");
      assertThat(marks(cited)).containsExactly("durian", "smell");
      b.screenshot("answer");

      cited.findElement(By.cssSelector(".doc-link")).click();
      WebElement source = PluginPages.find(b, page, "#document-view:not([hidden]) mark.cited");
      assertThat(source.getText()).contains("The **durian** is famous for its smell");
      // The document's markup is text on the page, never elements.
      assertThat(PluginPages.find(b, page, "#document-content").getText())
          .contains("<img src=x onerror=\"document.title='pwned'\">");
      assertThat(page.findElements(By.cssSelector("img"))).isEmpty();
      assertThat(b.driver.getTitle()).isNotEqualTo("pwned");
      b.screenshot("cited-document");
    }
    JsonNode collections = host.get("/api/plugins/" + RAG + "/collections", token).json().get(0);
    assertThat(collections.get("name").asString()).isEqualTo("Kitchen");
    assertThat(collections.get("documents").asInt()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void aPlainUserIsNotShownTheDirectoryPageAndItsApiRefusesThem(TestInfo info) {
    ensureInstalled(LDAP, PageHosts.ldapAuthZip());
    ensureInstalled(RAG, PageHosts.ragRetrievalZip());
    String token = host.createUser("uma", "user");
    try (Browser b = browser(info)) {
      b.signIn("uma", "pw-uma-testkit");
      // The page every user may use is in the navigation; the operators' page is not.
      b.visible(By.cssSelector(PluginPages.navLink(RAG, "/library")));
      assertThat(b.driver.findElements(By.cssSelector("a[href^='#/ext/" + LDAP + "']"))).isEmpty();
      b.screenshot("user-navigation");
      // Typing the page's address shows the admin page's notice, not the plugin's frame.
      b.open("/#/ext/" + LDAP + "/directory");
      assertThat(b.visible(By.id("no-plugin-page")).getText())
          .isEqualTo(
              "This plugin page is not available: its plugin is not active, or your role does"
                  + " not show it.");
      assertThat(b.driver.findElements(By.cssSelector("iframe"))).isEmpty();
      b.screenshot("typed-address");
    }
    for (TestHost.Response r :
        List.of(
            host.post("/api/plugins/" + LDAP + "/test", token, null),
            host.get("/api/plugins/" + LDAP + "/users?query=a", token),
            host.post("/api/plugins/" + LDAP + "/import", token, "{\"usernames\": [\"bob\"]}"))) {
      assertThat(r.status()).as(r.text()).isEqualTo(403);
      assertThat(r.json().get("message").asString())
          .startsWith("user [uma] lacks role [operator] for ");
    }
    assertThat(hostUser("bob")).isEmpty();
  }

  /** The words a passage marks. */
  private static List<String> marks(WebElement passage) {
    return passage.findElements(By.cssSelector(".text mark")).stream()
        .map(WebElement::getText)
        .toList();
  }
}
