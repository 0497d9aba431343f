package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission's promise over real HTTP: import a plugin into host A (embedded PostgreSQL), use it,
 * export it with data, import into host B (external PostgreSQL), and get the same answers.
 */
class RoundTripHttpTest {

  @TempDir Path tmp;

  @Test
  void pluginWithDataMovesBetweenHostsOnBothDatabases() throws Exception {
    Path zip = new TestPlugins(tmp.resolve("build")).buildZip(NotesPlugin.spec("1.0.0"));
    try (TestHost a = TestHost.embedded(tmp.resolve("a"))) {
      TestHost.Response imported = a.importZip(zip, "");
      assertThat(imported.status()).as(imported.text()).isEqualTo(201);
      assertThat(imported.data().get("state").asString()).isEqualTo("active");

      String ada = a.userToken("ada", "user");
      String bob = a.userToken("bob", "user");
      assertThat(a.post("/api/plugins/notes/notes", ada, "ada's note").status()).isEqualTo(201);
      assertThat(a.post("/api/plugins/notes/notes", bob, "bob's note").status()).isEqualTo(201);
      assertThat(a.get("/api/plugins/notes/notes", ada).text()).isEqualTo("[\"ada's note\"]");
      assertThat(a.get("/api/plugins/notes/notes", bob).text()).isEqualTo("[\"bob's note\"]");
      assertThat(
              a.put(
                      "/api/plugins/notes/config",
                      a.adminToken,
                      "{\"greeting\": \"hello\", \"apiKey\": \"sk-live-123\"}")
                  .status())
          .isEqualTo(200);

      TestHost.Response export = a.get("/api/plugins/notes/export?includeData=true");
      assertThat(export.status()).as(export.text()).isEqualTo(200);
      assertThat(export.headers().firstValue("content-disposition").orElseThrow())
          .matches(".*notes-v1\\.0\\.0-\\d+\\.zip.*");
      assertThat(export.text()).doesNotContain("sk-live-123");
      Path exported = tmp.resolve("exported.zip");
      Files.write(exported, export.body());

      try (TestHost b = TestHost.external(tmp.resolve("b"))) {
        TestHost.Response again = b.importZip(exported, "");
        assertThat(again.status()).as(again.text()).isEqualTo(201);
        // User ids are usernames, so the rows follow ada and bob to host B.
        String adaOnB = b.userToken("ada", "user");
        String bobOnB = b.userToken("bob", "user");
        assertThat(b.get("/api/plugins/notes/notes", adaOnB).text()).isEqualTo("[\"ada's note\"]");
        assertThat(b.get("/api/plugins/notes/notes", bobOnB).text()).isEqualTo("[\"bob's note\"]");
        assertThat(b.post("/api/plugins/notes/notes", adaOnB, "second").status()).isEqualTo(201);
        assertThat(b.get("/api/plugins/notes/notes", adaOnB).text())
            .isEqualTo("[\"ada's note\",\"second\"]");
        assertThat(b.get("/api/plugins/notes/greeting", b.adminToken).text()).isEqualTo("hello");
        assertThat(b.get("/api/plugins/notes/config").data().get("secretsSet")).isEmpty();
      }
    }
  }
}
