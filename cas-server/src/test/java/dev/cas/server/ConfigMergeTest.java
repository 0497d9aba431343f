package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FORMAT.md's configuration section: {@code PUT /api/plugins/<id>/config} merges a partial object
 * into the stored values; a key left out keeps its value (a secret too, which clients never see), a
 * key sent as {@code null} goes back to its default.
 */
class ConfigMergeTest {

  @TempDir Path tmp;
  TestHost host;

  @BeforeEach
  void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    Path notes = new TestPlugins(tmp.resolve("build")).buildZip(NotesPlugin.spec("1.0.0"));
    assertThat(host.importZip(notes, "").status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    host.close();
  }

  @Test
  void putMergesAPartialObjectAndNullResetsAKey() {
    assertThat(put("{\"greeting\": \"hello\", \"apiKey\": \"k-123\"}").status()).isEqualTo(200);

    TestHost.Response partial = put("{\"greeting\": \"hey\"}");
    assertThat(partial.status()).as(partial.text()).isEqualTo(200);
    assertThat(host.get("/api/plugins/notes/greeting").text()).isEqualTo("hey");
    assertThat(host.get("/api/plugins/notes/key-length").text()).isEqualTo("5");

    assertThat(put("{\"greeting\": null}").status()).isEqualTo(200);
    assertThat(host.get("/api/plugins/notes/greeting").text()).isEqualTo("hi");
    assertThat(host.get("/api/plugins/notes/key-length").text()).isEqualTo("5");
  }

  private TestHost.Response put(String json) {
    return host.put("/api/plugins/notes/config", host.adminToken, json);
  }
}
