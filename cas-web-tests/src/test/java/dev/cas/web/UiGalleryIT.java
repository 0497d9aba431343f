package dev.cas.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The components' gallery at /ui/gallery in headless Chromium, under the host's strict
 * Content-Security-Policy: each component renders and is styled (through adopted stylesheets, the
 * policy allowing no inline style), the modal keeps keyboard focus and gives it back, the table
 * sorts, and the form built from a configSchema shows its own checks, sends only what it should and
 * shows the host's errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiGalleryIT {

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

  private static String activeId(Browser b) {
    return (String) b.driver.executeScript("return document.activeElement.id");
  }

  private static void press(Browser b, CharSequence... keys) {
    new Actions(b.driver).sendKeys(keys).perform();
  }

  private static String value(Browser b, String id) {
    return b.driver.findElement(By.id(id)).getDomProperty("value");
  }

  @Test
  void everyComponentRendersAndWorksByKeyboard() {
    try (Browser b = new Browser(host.baseUrl(), dir.resolve("gallery"), "gallery")) {
      // Every Content-Security-Policy violation of the page is recorded (a script the browser adds
      // before the page's own, outside the policy).
      b.driver.executeCdpCommand(
          "Page.addScriptToEvaluateOnNewDocument",
          Map.of(
              "source",
              "window.cspViolations = [];"
                  + "document.addEventListener('securitypolicyviolation', (e) =>"
                  + " window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"));
      b.open("/ui/gallery");
      b.visible(By.id("demo-save"));

      // Styled by adopted sheets under the page's CSP (no inline style is allowed there).
      assertThat(b.driver.executeScript("return document.adoptedStyleSheets.length"))
          .isNotEqualTo(0L);
      assertThat(
              b.driver
                  .findElement(By.cssSelector("#button-danger button"))
                  .getCssValue("background-color"))
          .isEqualTo("rgba(180, 35, 24, 1)");
      assertThat(b.driver.findElements(By.cssSelector("style, [style]"))).isEmpty();

      // Buttons, inputs and the select: labelled controls, an error marked on its field.
      assertThat(b.driver.findElement(By.cssSelector("#button-primary button")).getText())
          .isEqualTo("Primary");
      assertThat(b.driver.findElement(By.cssSelector("#button-disabled button")).isEnabled())
          .isFalse();
      for (String id :
          List.of(
              "input-name",
              "input-required",
              "input-error",
              "input-password",
              "input-check",
              "input-disabled",
              "select-alignment",
              "demo-title",
              "demo-apiKey")) {
        assertThat(b.driver.findElements(By.cssSelector("label[for='" + id + "']")))
            .as("label of " + id)
            .hasSize(1);
      }
      WebElement error = b.driver.findElement(By.id("input-error"));
      assertThat(error.getDomAttribute("aria-invalid")).isEqualTo("true");
      assertThat(error.getDomAttribute("aria-describedby"))
          .isEqualTo("input-error-help input-error-error");
      assertThat(b.driver.findElement(By.id("input-error-error")).getText())
          .isEqualTo("this value is refused");
      assertThat(b.driver.findElement(By.id("input-name-help")).getText())
          .isEqualTo("Shown under the field.");
      assertThat(value(b, "select-alignment")).isEqualTo("center");
      assertThat(b.driver.findElement(By.id("input-check")).isSelected()).isTrue();
      b.screenshot("components");

      // The table: sortable headers, aria-sort, the empty state.
      assertThat(rowIds(b)).containsExactly("text-block", "ldap-auth", "rag-retrieval");
      b.driver.findElement(By.cssSelector("#gallery-table th[data-key='calls'] button")).click();
      assertThat(rowIds(b)).containsExactly("ldap-auth", "rag-retrieval", "text-block");
      assertThat(
              b.driver
                  .findElement(By.cssSelector("#gallery-table th[data-key='calls']"))
                  .getDomAttribute("aria-sort"))
          .isEqualTo("ascending");
      // Again, by keyboard: the header button keeps focus through the re-render.
      press(b, Keys.ENTER);
      assertThat(rowIds(b)).containsExactly("text-block", "rag-retrieval", "ldap-auth");
      assertThat(
              b.driver
                  .findElement(By.cssSelector("#gallery-table-empty .cas-table-empty"))
                  .getText())
          .isEqualTo("No plugin is installed yet.");
      b.screenshot("table-sorted");

      // The modal: focus moves in, Tab and Shift+Tab wrap, Escape closes, focus comes back.
      b.driver.findElement(By.id("open-modal")).click();
      WebElement dialog = b.visible(By.cssSelector("#gallery-modal dialog"));
      assertThat(dialog.getDomAttribute("aria-modal")).isEqualTo("true");
      String headingId = dialog.getDomAttribute("aria-labelledby");
      assertThat(b.driver.findElement(By.id(headingId)).getText()).isEqualTo("Delete the notes?");
      b.until(d -> "modal-confirm".equals(activeId(b)));
      press(b, Keys.TAB);
      assertThat(activeId(b)).isEqualTo("modal-ok");
      press(b, Keys.TAB);
      assertThat(activeId(b)).isEqualTo("modal-cancel");
      press(b, Keys.TAB);
      assertThat(b.driver.executeScript("return document.activeElement.getAttribute('aria-label')"))
          .isEqualTo("Close");
      new Actions(b.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
      assertThat(activeId(b)).isEqualTo("modal-cancel");
      b.screenshot("modal-open");
      press(b, Keys.ESCAPE);
      b.textIn(By.id("modal-result"), "Closed with cancel.");
      assertThat(dialog.isDisplayed()).isFalse();
      assertThat(activeId(b)).isEqualTo("open-modal");
      // A [data-close] button closes it with its value.
      press(b, Keys.ENTER);
      b.until(d -> "modal-confirm".equals(activeId(b)));
      b.driver.findElement(By.id("modal-ok")).click();
      b.textIn(By.id("modal-result"), "Closed with ok.");
      assertThat(activeId(b)).isEqualTo("open-modal");

      // The form from a configSchema: the host's checks, in its words, before anything is sent.
      WebElement secret = b.driver.findElement(By.id("demo-apiKey"));
      assertThat(secret.getDomAttribute("type")).isEqualTo("password");
      assertThat(secret.getDomProperty("value")).isEmpty();
      assertThat(secret.getDomAttribute("placeholder"))
          .isEqualTo("set — type a new value to replace it");
      assertThat(b.driver.findElement(By.id("demo-fontSize-help")).getText())
          .isEqualTo("In pixels. — integer · at least 8 · at most 72 · default 14");
      b.driver.findElement(By.id("demo-title")).clear();
      WebElement size = b.driver.findElement(By.id("demo-fontSize"));
      size.clear();
      size.sendKeys("200");
      b.driver.findElement(By.id("demo-code")).sendKeys("abc");
      b.driver.findElement(By.id("demo-save")).click();
      b.textIn(By.id("demo-title-error"), "[title]");
      assertThat(b.driver.findElement(By.id("demo-title-error")).getText())
          .isEqualTo("[title] is required");
      assertThat(b.driver.findElement(By.id("demo-fontSize-error")).getText())
          .isEqualTo("[fontSize] must be at most 72 but was 200");
      assertThat(b.driver.findElement(By.id("demo-code-error")).getText())
          .isEqualTo("[code] must match [A-Z]{3} but was [abc]");
      assertThat(b.driver.findElement(By.id("demo-ratio-error")).getText()).isEmpty();
      assertThat(b.driver.findElement(By.id("demo-fontSize")).getDomAttribute("aria-invalid"))
          .isEqualTo("true");
      assertThat(activeId(b)).isEqualTo("demo-title");
      assertThat(b.driver.findElement(By.id("form-output")).getText())
          .isEqualTo("Nothing submitted yet.");
      b.screenshot("form-client-errors");

      b.driver.findElement(By.id("demo-title")).sendKeys("Hello");
      size.clear();
      size.sendKeys("20");
      b.driver.findElement(By.id("demo-code")).clear();
      b.driver.findElement(By.id("demo-code")).sendKeys("ABC");
      // Enter in a field submits, as in any form.
      b.driver.findElement(By.id("demo-code")).sendKeys(Keys.ENTER);
      b.textIn(By.id("form-output"), "{");
      // The stored secret is not sent back: only a typed secret is.
      assertThat(b.driver.findElement(By.id("form-output")).getText())
          .isEqualTo(
              "{\"title\":\"Hello\",\"alignment\":\"left\",\"code\":\"ABC\",\"enabled\":true,"
                  + "\"fontSize\":20,\"ratio\":null}");
      assertThat(b.driver.findElement(By.id("demo-fontSize-error")).getText()).isEmpty();
      b.driver.findElement(By.id("demo-apiKey")).sendKeys("k-123");
      b.driver.findElement(By.id("demo-save")).click();
      b.textIn(By.id("form-output"), "apiKey");
      assertThat(b.driver.findElement(By.id("form-output")).getText())
          .contains("\"apiKey\":\"k-123\"");
      WebElement notice = b.visible(By.cssSelector("cas-toast [role='status']"));
      assertThat(notice.getText()).startsWith("Settings submitted.");

      // Errors the host answered, shown where they belong.
      b.driver.findElement(By.id("demo-server-errors")).click();
      b.textIn(By.id("demo-title-error"), "taken");
      assertThat(b.driver.findElement(By.id("demo-title-error")).getText())
          .isEqualTo("[title] is taken by another block");
      assertThat(b.driver.findElement(By.cssSelector("#gallery-form .cas-form-summary")).getText())
          .isEqualTo("invalid configuration: the host refused it");

      // Toasts: an error is an alert and stays until dismissed.
      b.driver.findElement(By.id("toast-error")).click();
      WebElement alert = b.visible(By.cssSelector("cas-toast [role='alert']"));
      assertThat(alert.getText()).startsWith("A notice of level error.");
      assertThat(b.driver.findElement(By.tagName("cas-toast")).getDomAttribute("aria-live"))
          .isEqualTo("polite");
      b.screenshot("form-host-errors-and-toasts");

      // A schema whose keys and texts are hostile: keys stay keys, texts stay text.
      b.driver.executeScript(
          "const f = document.createElement('cas-schema-form');"
              + "f.id = 'hostile-form'; f.setAttribute('id-prefix', 'hostile-');"
              + "f.setAttribute('submit-id', 'hostile-save');"
              + "f.schema = JSON.parse(arguments[0]);"
              + "f.addEventListener('cas-submit', () => { window.hostileSubmitted = true; });"
              + "document.getElementById('gallery').append(f);",
          "{\"__proto__\": {\"type\": \"string\", \"required\": true},"
              + " \"constructor\": {\"type\": \"integer\","
              + " \"description\": \"<img src=x onerror=window.pwned=1>\"}}");
      b.visible(By.id("hostile-save")).click();
      b.textIn(By.id("hostile-__proto__-error"), "required");
      assertThat(b.driver.findElement(By.id("hostile-__proto__-error")).getText())
          .isEqualTo("[__proto__] is required");
      assertThat(b.driver.findElement(By.cssSelector("label[for='hostile-constructor']")).getText())
          .isEqualTo("constructor");
      assertThat(b.driver.findElement(By.id("hostile-constructor-help")).getText())
          .startsWith("<img src=x onerror=window.pwned=1>");
      assertThat(b.driver.findElements(By.cssSelector("#hostile-form img"))).isEmpty();
      assertThat(
              b.driver.executeScript(
                  "return window.pwned === undefined && !window.hostileSubmitted"))
          .isEqualTo(true);
      assertThat(b.driver.executeScript("return window.cspViolations")).asList().isEmpty();
      alert.findElement(By.cssSelector("button[aria-label='Dismiss']")).click();
      b.until(d -> d.findElements(By.cssSelector("cas-toast [role='alert']")).isEmpty());
    }
  }

  private static List<String> rowIds(Browser b) {
    return b.driver.findElements(By.cssSelector("#table-rows tr")).stream()
        .map(r -> r.getDomAttribute("data-id"))
        .toList();
  }
}
