package dev.cas.plugins.textblock;

import static dev.cas.plugins.textblock.PluginHosts.CONFIG;
import static dev.cas.plugins.textblock.PluginHosts.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The configSchema guards the display settings; GET /settings shows the ones in effect. */
class DisplaySettingsIT {

  @TempDir static Path dataDir;
  private static TestHost host;
  private static String user;

  @BeforeAll
  static void start() {
    host = PluginHosts.startWithPlugin(dataDir);
    user = host.createUser("viewer", "user");
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @AfterEach
  void backToDefaults() {
    TestHost.Response r =
        host.put(
            CONFIG,
            host.adminToken(),
            "{\"fontSize\": null, \"alignment\": null, \"backgroundColor\": null}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  @Test
  void settingsAreTheSchemaDefaultsAfterInstall() {
    assertSettings(14, "left", "#ffffff");
  }

  @Test
  void validConfigurationShowsInSettingsAtOnce() {
    TestHost.Response r =
        host.put(
            CONFIG,
            host.adminToken(),
            "{\"fontSize\": 18, \"alignment\": \"center\", \"backgroundColor\": \"#FAFAF0\"}");

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertSettings(18, "center", "#FAFAF0");
    host.put(CONFIG, host.adminToken(), "{\"alignment\": \"justify\"}");
    assertSettings(18, "justify", "#FAFAF0");
  }

  static Stream<Arguments> invalidConfigurations() {
    return Stream.of(
        Arguments.of("{\"fontSize\": 73}", "[fontSize] must be at most 72 but was 73"),
        Arguments.of("{\"fontSize\": 7}", "[fontSize] must be at least 8 but was 7"),
        Arguments.of(
            "{\"alignment\": \"middle\"}",
            "[alignment] must be one of [left, center, right, justify] but was [middle]"),
        Arguments.of(
            "{\"backgroundColor\": \"red\"}",
            "[backgroundColor] must match ^#[0-9a-fA-F]{6}$ but was [red]"),
        Arguments.of(
            "{\"backgroundColor\": \"#ffffff; color: red\"}",
            "[backgroundColor] must match ^#[0-9a-fA-F]{6}$ but was [#ffffff; color: red]"),
        Arguments.of("{\"color\": \"#000000\"}", "[color] is not in the plugin's configSchema"));
  }

  @ParameterizedTest
  @MethodSource("invalidConfigurations")
  void invalidConfigurationIsRefusedWithTheReason(String body, String problem) {
    TestHost.Response r = host.put(CONFIG, host.adminToken(), body);

    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.json().get("error").get("code").asString()).isEqualTo("CONFIG_INVALID");
    assertThat(r.json().get("message").asString())
        .isEqualTo("invalid configuration for plugin [text-block]: " + problem);
    assertSettings(14, "left", "#ffffff");
  }

  @Test
  void usersCannotChangeTheConfiguration() {
    TestHost.Response r = host.put(CONFIG, user, "{\"fontSize\": 20}");

    assertThat(r.status()).isEqualTo(403);
    assertSettings(14, "left", "#ffffff");
  }

  private static void assertSettings(int fontSize, String alignment, String backgroundColor) {
    TestHost.Response r = host.get(SETTINGS, user);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode settings = r.data();
    assertThat(settings.get("fontSize").asInt()).isEqualTo(fontSize);
    assertThat(settings.get("alignment").asString()).isEqualTo(alignment);
    assertThat(settings.get("backgroundColor").asString()).isEqualTo(backgroundColor);
    assertThat(settings.size()).isEqualTo(3);
  }
}
