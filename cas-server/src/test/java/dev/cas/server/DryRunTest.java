package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/plugins/import?dryRun=true} runs the import's checks and answers a preview of
 * what it would do; registry, files, database, runtime and audit trail stay exactly as they were,
 * and a refusal is the import's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DryRunTest {

  Path tmp;
  TestHost host;
  TestPlugins plugins;

  @BeforeAll
  void start(@TempDir Path dir) {
    tmp = dir;
    host = TestHost.embedded(tmp.resolve("host"));
    plugins = new TestPlugins(tmp.resolve("build"));
  }

  @AfterAll
  void stop() {
    host.close();
  }

  private int auditEntries() {
    return host.get("/api/audit?limit=1000").data().size();
  }

  @Test
  void previewOfAnInstallAndOfAnUpgradeChangesNothing() {
    Path v1 = plugins.buildZip(NotesPlugin.spec("1.0.0"));
    HostSnapshot before = HostSnapshot.of(host, true);
    int audit = auditEntries();

    TestHost.Response r = host.importZip(v1, "?dryRun=true");

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().get("message").asString())
        .isEqualTo("dry run: nothing was changed; the import would install");
    JsonNode p = r.data();
    assertThat(p.get("outcome").asString()).isEqualTo("install");
    assertThat(p.get("plugin").get("id").asString()).isEqualTo("notes");
    assertThat(p.get("permissions").toString())
        .isEqualTo("[\"database.read\",\"database.write\",\"http.routes\"]");
    assertThat(p.get("database").get("pendingMigrations").toString())
        .isEqualTo("[\"001_notes.sql\"]");
    assertThat(p.get("signature").get("signed").asBoolean()).isFalse();
    assertThat(p.get("scan").get("counts").get("CRITICAL").asInt()).isZero();
    assertThat(p.has("changes")).isFalse();
    assertThat(HostSnapshot.of(host, true)).isEqualTo(before);
    assertThat(auditEntries()).isEqualTo(audit);

    assertThat(host.importZip(v1, "").status()).isEqualTo(201);
    try {
      Path v2 =
          plugins.buildZip(
              NotesPlugin.spec("1.1.0")
                  .permissions("users.read")
                  .tables("tags")
                  .migration(
                      "002_tags.sql",
                      "CREATE TABLE tags (note_id BIGINT, tag TEXT);",
                      "DROP TABLE tags;"));
      HostSnapshot installed = HostSnapshot.of(host, true);
      int auditInstalled = auditEntries();

      TestHost.Response up = host.importZip(v2, "?upgrade=true&dryRun=true");

      assertThat(up.status()).as(up.text()).isEqualTo(200);
      JsonNode u = up.data();
      assertThat(u.get("outcome").asString()).isEqualTo("upgrade");
      assertThat(u.get("installedVersion").asString()).isEqualTo("1.0.0");
      assertThat(u.get("database").get("pendingMigrations").toString())
          .isEqualTo("[\"002_tags.sql\"]");
      assertThat(u.get("database").get("appliedMigrations").toString())
          .isEqualTo("[\"001_notes.sql\"]");
      assertThat(u.get("changes").toString())
          .isEqualTo(
              "{\"version\":{\"from\":\"1.0.0\",\"to\":\"1.1.0\"},"
                  + "\"permissions\":{\"added\":[\"users.read\"],\"removed\":[]},"
                  + "\"tables\":{\"added\":[\"tags\"],\"removed\":[]},"
                  + "\"allowedHosts\":{\"added\":[],\"removed\":[]},"
                  + "\"filesystemAccess\":{\"added\":[],\"removed\":[]},"
                  + "\"migrations\":{\"added\":[\"002_tags.sql\"],\"removed\":[]},"
                  + "\"configKeys\":{\"added\":[],\"removed\":[]}}");
      assertThat(u.get("dependencies").valueStream().map(d -> d.get("satisfied").asBoolean()))
          .containsOnly(true);
      assertThat(HostSnapshot.of(host, true)).isEqualTo(installed);
      assertThat(auditEntries()).isEqualTo(auditInstalled);
    } finally {
      assertThat(host.delete("/api/plugins/notes?purgeData=true").status()).isEqualTo(200);
    }
  }

  @Test
  void refusedPreviewAnswersTheImportsRefusal() {
    HostSnapshot before = HostSnapshot.of(host, true);
    int audit = auditEntries();
    TestHost.Response r =
        host.importZip(
            plugins.buildZip(
                NotesPlugin.spec("1.0.0").migration("002_commit.sql", "COMMIT;", "SELECT 1;")),
            "?dryRun=true");
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("MIGRATION_FAILED");
    assertThat(r.json().get("message").asString())
        .startsWith("migration [002_commit.sql] of plugin [notes] controls transactions (COMMIT)");
    assertThat(HostSnapshot.of(host, true)).isEqualTo(before);
    assertThat(auditEntries()).isEqualTo(audit);
  }

  @Test
  void legacyJsonBodyCanBePreviewed() {
    HostSnapshot before = HostSnapshot.of(host, true);
    TestHost.Response r =
        host.post(
            "/api/plugins/import?dryRun=true",
            host.adminToken,
            "{\"plugin\": {\"id\": \"faq\", \"name\": \"FAQ\", \"version\": \"1.0.0\","
                + " \"description\": \"Questions\"}}");
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.data().get("plugin").get("id").asString()).isEqualTo("faq");
    assertThat(HostSnapshot.of(host, true)).isEqualTo(before);
  }
}
