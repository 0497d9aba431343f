package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/audit} tells who did what to which plugin, from where, and how it ended. */
class AuditTrailTest {

  @TempDir Path tmp;

  @Test
  void managementCallsAndRefusedImportsAreAudited() {
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    try (TestHost host = TestHost.embedded(tmp.resolve("host"))) {
      String otto = host.userToken("otto", "operator");
      assertThat(host.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
          .isEqualTo(201);
      assertThat(
              host.send(
                      "POST",
                      "/api/plugins/import",
                      host.adminToken,
                      "application/zip",
                      "not a zip".getBytes(StandardCharsets.UTF_8))
                  .status())
          .isEqualTo(400);
      assertThat(
              host.importZip(plugins.buildZip(TestPlugins.simple("thief").tables("notes")), "")
                  .status())
          .isEqualTo(409);
      assertThat(host.post("/api/plugins/notes/deactivate", otto, null).status()).isEqualTo(200);
      assertThat(host.post("/api/plugins/notes/activate", otto, null).status()).isEqualTo(200);
      assertThat(host.put("/api/plugins/notes/config", otto, "{\"greeting\": \"hey\"}").status())
          .isEqualTo(200);
      assertThat(host.get("/api/plugins/notes/export").status()).isEqualTo(200);
      assertThat(host.delete("/api/plugins/notes").status()).isEqualTo(200);

      TestHost.Response audit = host.get("/api/audit");
      assertThat(audit.status()).isEqualTo(200);
      List<String> trail = new ArrayList<>();
      long previousId = Long.MAX_VALUE;
      for (JsonNode e : audit.data()) {
        assertThat(e.get("id").asLong()).as("newest first").isLessThan(previousId);
        previousId = e.get("id").asLong();
        assertThat(e.get("at").asString()).isNotBlank();
        assertThat(e.get("remote").asString())
            .as("remote of " + e)
            .matches("/(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1):\\d+");
        if (!e.get("action").asString().equals("login")) {
          trail.add(
              0,
              e.get("actor").asString()
                  + " "
                  + e.get("action").asString()
                  + " "
                  + e.get("target").asString("-")
                  + " "
                  + e.get("outcome").asString());
        }
      }
      assertThat(trail)
          .containsExactly(
              "admin import notes ok",
              "admin import - refused",
              "admin import - refused",
              "otto deactivate notes ok",
              "otto activate notes ok",
              "otto config.update notes ok",
              "admin export notes ok",
              "admin uninstall notes ok");

      List<String> refusals = new ArrayList<>();
      audit
          .data()
          .forEach(
              e -> {
                if (e.get("outcome").asString().equals("refused")) {
                  refusals.add(0, e.get("detail").asString());
                }
              });
      assertThat(refusals.get(0)).startsWith("NOT_A_ZIP: ");
      assertThat(refusals.get(1))
          .isEqualTo(
              "TABLE_CONFLICT: table [notes] declared by plugin [thief] belongs to plugin [notes]");

      JsonNode forNotes = host.get("/api/audit?plugin=notes&limit=3").data();
      assertThat(forNotes).hasSize(3);
      forNotes.forEach(e -> assertThat(e.get("target").asString()).isEqualTo("notes"));
      assertThat(forNotes.get(0).get("action").asString()).isEqualTo("uninstall");
    }
  }
}
