package dev.cas.plugins.textblock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Real hosts with the package this build made installed, and the checks the integration tests share
 * on their answers.
 */
final class PluginHosts {

  static final String BLOCKS = "/api/plugins/text-block/blocks";
  static final String SETTINGS = "/api/plugins/text-block/settings";
  static final String CONFIG = "/api/plugins/text-block/config";

  private PluginHosts() {}

  /** The signed package {@code mvn package} wrote (failsafe passes its path). */
  static Path pluginZip() {
    String zip = System.getProperty("plugin.zip");
    if (zip == null || !Files.isRegularFile(Path.of(zip))) {
      throw new IllegalStateException(
          "system property plugin.zip must name the built package; run the tests with mvn verify,"
              + " not from the IDE alone (was ["
              + zip
              + "])");
    }
    return Path.of(zip);
  }

  /** A host on a fresh database with text-block installed. */
  static TestHost startWithPlugin(Path dataDir) {
    return startWithPlugin(dataDir, TestHost.freshEmbeddedDatabase());
  }

  /** A host on the given database with text-block installed. */
  static TestHost startWithPlugin(Path dataDir, String jdbcUrl) {
    TestHost host = TestHost.start(dataDir, jdbcUrl, Map.of());
    try {
      host.install(pluginZip());
      return host;
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
  }

  /** The ids of a {@code GET /blocks} answer, in its order. */
  static List<String> blockIds(TestHost.Response list) {
    assertThat(list.status()).as(list.text()).isEqualTo(200);
    return list.data().valueStream().map(b -> b.get("id").asString()).toList();
  }

  /** The answer for a block the caller has no access to, whatever the reason. */
  static void assertBlockNotFound(TestHost.Response r, String id) {
    assertThat(r.status()).as(r.text()).isEqualTo(404);
    assertThat(r.json().get("message").asString()).isEqualTo("block [" + id + "] not found");
    assertThat(r.json().get("error").get("code").asString()).isEqualTo("NOT_FOUND");
  }
}
