package dev.cas.web;

import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;

/**
 * A plugin's own page as the admin page shows it: a navigation link {@code #/ext/<id><path>} and a
 * sandboxed frame at {@code /plugins/<id>/frame<path>} holding the plugin's component, whose
 * content is in the component's shadow root.
 */
final class PluginPages {

  private PluginPages() {}

  /** The CSS selector of the navigation link to a plugin's page. */
  static String navLink(String pluginId, String path) {
    return "a[href='#/ext/" + pluginId + path + "']";
  }

  /**
   * Follows the navigation link to the page, enters its frame and answers the component's shadow
   * root. The driver stays in the frame: {@code b.driver.switchTo().defaultContent()} leaves it.
   */
  static SearchContext open(Browser b, String pluginId, String path, String tag) {
    b.driver.switchTo().defaultContent();
    b.visible(By.cssSelector(navLink(pluginId, path))).click();
    WebElement frame =
        b.visible(By.cssSelector("iframe[src*='/plugins/" + pluginId + "/frame" + path + "']"));
    b.driver.switchTo().frame(frame);
    WebElement component =
        b.until(d -> d.findElements(By.cssSelector(tag)).stream().findFirst().orElse(null));
    // Until the module has run, the element has no shadow root (the wait ignores NotFound).
    return b.until(d -> component.getShadowRoot());
  }

  /** The first element in the page matching the CSS selector, once there is one. */
  static WebElement find(Browser b, SearchContext page, String css) {
    return b.until(d -> page.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
  }

  /** All text the page shows, section by section. */
  static String text(SearchContext page) {
    return page.findElements(By.cssSelector("section")).stream()
        .map(WebElement::getText)
        .collect(Collectors.joining("\n"));
  }
}
