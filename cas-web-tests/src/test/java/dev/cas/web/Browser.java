package dev.cas.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through /usr/bin/chromedriver, with a fresh profile and download
 * folder, and the helpers the scenarios share: sign in, wait for an element or a text, save a
 * screenshot of a step. Waits poll with a generous deadline (the machine is shared and slow at
 * times); nothing asserts on durations.
 */
final class Browser implements AutoCloseable {

  /** Long enough for an import on a busy 2-core machine; a wait returns as soon as it holds. */
  static final Duration PATIENCE = Duration.ofSeconds(90);

  final ChromeDriver driver;
  final Path downloads;
  private final Path profile;
  private final String base;
  private final Path screenshots;
  private final String scenario;
  private int step;

  Browser(String base, Path work, String scenario) {
    this.base = base;
    this.scenario = scenario;
    this.screenshots = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
    try {
      this.profile = Files.createDirectories(work.resolve("chromium-profile"));
      this.downloads = Files.createDirectories(work.resolve("downloads"));
      Files.createDirectories(screenshots);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    // The flags LIBRARIES.md lists: no sandbox (root), and no calls out of this closed network.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1300",
        "--user-data-dir=" + profile);
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory", downloads.toString(),
            "download.prompt_for_download", false,
            "safebrowsing.enabled", false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    this.driver = new ChromeDriver(service, options);
  }

  void open(String pathAndHash) {
    driver.get(base + pathAndHash);
  }

  /** Signs in through the form and waits for the plugin list. */
  void signIn(String username, String password) {
    open("/");
    WebElement user = visible(By.id("username"));
    user.clear();
    user.sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("sign-in")).click();
    visible(By.id("sign-out"));
    visible(By.id("plugin-rows"));
  }

  WebElement visible(By by) {
    return until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  void textIn(By by, String text) {
    until(ExpectedConditions.textToBePresentInElementLocated(by, text));
  }

  <T> T until(Function<? super WebDriver, T> condition) {
    // The page re-renders lists when data arrives: an element found a moment ago may be gone.
    return new WebDriverWait(driver, PATIENCE)
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** The row of the plugin list for this plugin id, once the list shows it. */
  WebElement row(String pluginId) {
    return visible(By.cssSelector("#plugin-rows tr[data-plugin-id='" + pluginId + "']"));
  }

  /** The ids in the plugin list, once it has rendered. */
  List<String> listedIds() {
    visible(By.id("plugin-count"));
    until(d -> !d.findElement(By.id("plugin-count")).getText().isEmpty());
    return until(
        d ->
            d.findElements(By.cssSelector("#plugin-rows tr[data-plugin-id]")).stream()
                .map(r -> r.getDomAttribute("data-plugin-id"))
                .toList());
  }

  /** Saves target/screenshots/<scenario>-<nn>-<name>.png and answers its path. */
  Path screenshot(String name) {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path to = screenshots.resolve(String.format("%s-%02d-%s.png", scenario, ++step, name));
    try {
      Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return to;
  }

  /** The one finished download (Chromium writes *.crdownload until it is complete). */
  Path download() {
    return until(
        d -> {
          try (Stream<Path> files = Files.list(downloads)) {
            List<Path> all = files.toList();
            return all.size() == 1 && !all.getFirst().toString().endsWith(".crdownload")
                ? all.getFirst()
                : null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Override
  public void close() {
    driver.quit();
  }
}
