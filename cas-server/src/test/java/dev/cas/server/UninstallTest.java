package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.database.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Uninstall keeps a plugin's schema and rows unless asked to purge them; a purge runs the rollbacks
 * in reverse and drops schema and role. System plugins and plugins others depend on are refused.
 */
class UninstallTest {

  @TempDir static Path tmp;
  static TestHost host;
  static TestPlugins plugins;

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    plugins = new TestPlugins(tmp.resolve("build"));
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void uninstallKeepsTheDataForAReinstallAndPurgeRollsBackAndDropsIt() throws SQLException {
    // Each rollback announces itself with NOTIFY, which a listener outside the dropped schema sees.
    Path zip =
        plugins.buildZip(
            NotesPlugin.spec("1.0.0", "DROP TABLE notes; NOTIFY cas_rollback, '001_notes.sql';")
                .tables("tags")
                .migration(
                    "002_tags.sql",
                    "CREATE TABLE tags (note_id BIGINT, tag TEXT);",
                    "DROP TABLE tags; NOTIFY cas_rollback, '002_tags.sql';"));
    assertThat(host.importZip(zip, "").status()).isEqualTo(201);
    String ada = host.userToken("ada", "user");
    assertThat(host.post("/api/plugins/notes/notes", ada, "kept").status()).isEqualTo(201);
    DataSource admin = host.server.host().db().admin();
    String role = host.server.host().store().find("notes").orElseThrow().role();

    TestHost.Response removed = host.delete("/api/plugins/notes");
    assertThat(removed.status()).as(removed.text()).isEqualTo(200);
    assertThat(removed.data().get("removed").toString()).isEqualTo("[\"notes\"]");
    assertThat(removed.data().get("dataPurged").asBoolean()).isEqualTo(false);
    assertThat(host.get("/api/plugins/notes").status()).isEqualTo(404);
    assertThat(host.get("/api/plugins/notes/notes", ada).status()).isEqualTo(404);
    assertThat(Sql.query(admin, "SELECT body FROM plugin_notes.notes"))
        .extracting(r -> r.get("body"))
        .containsExactly("kept");
    assertThat(Sql.query(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)).hasSize(1);
    assertThat(Files.exists(host.dataDir.resolve("plugins/notes"))).isFalse();

    assertThat(host.importZip(zip, "").status()).isEqualTo(201);
    assertThat(host.get("/api/plugins/notes/notes", ada).text()).isEqualTo("[\"kept\"]");

    try (Connection listener = DriverManager.getConnection(host.dbUrl);
        Statement st = listener.createStatement()) {
      st.execute("LISTEN cas_rollback");
      TestHost.Response purged = host.delete("/api/plugins/notes?purgeData=true");
      assertThat(purged.status()).as(purged.text()).isEqualTo(200);
      assertThat(purged.data().get("removed").toString()).isEqualTo("[\"notes\"]");
      assertThat(purged.data().get("dataPurged").asBoolean()).isEqualTo(true);
      assertThat(notifications(listener.unwrap(PGConnection.class)))
          .containsExactly("002_tags.sql", "001_notes.sql");
    }
    assertThat(Sql.query(admin, "SELECT 1 FROM pg_namespace WHERE nspname = 'plugin_notes'"))
        .isEmpty();
    assertThat(Sql.query(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)).isEmpty();
    assertThat(Sql.query(admin, "SELECT 1 FROM cas.plugin_migrations WHERE plugin_id = 'notes'"))
        .isEmpty();
    assertThat(Sql.query(admin, "SELECT 1 FROM cas.plugin_config WHERE plugin_id = 'notes'"))
        .isEmpty();
    assertThat(Sql.query(admin, "SELECT 1 FROM cas.plugin_tables WHERE plugin_id = 'notes'"))
        .isEmpty();

    // A fresh install after the purge starts empty.
    assertThat(host.importZip(zip, "").status()).isEqualTo(201);
    assertThat(host.get("/api/plugins/notes/notes", ada).text()).isEqualTo("[]");
    assertThat(host.delete("/api/plugins/notes?purgeData=true").status()).isEqualTo(200);
  }

  @Test
  void aSystemPluginIsNotUninstalled() {
    Path zip =
        TestPackages.rewrite(
            plugins.buildZip(TestPlugins.simple("core-sys")),
            tmp.resolve("core-sys.zip"),
            folder ->
                TestPackages.editManifest(
                    folder,
                    "\"status\": \"active\"",
                    "\"status\": \"active\", \"isSystem\": true"));
    assertThat(host.importZip(zip, "").status()).isEqualTo(201);
    assertThat(host.get("/api/plugins/core-sys").data().get("isSystem").asBoolean()).isTrue();

    for (String query : List.of("", "?purgeData=true", "?force=true")) {
      TestHost.Response refused = host.delete("/api/plugins/core-sys" + query);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.errorCode()).isEqualTo("SYSTEM_PLUGIN");
      assertThat(refused.json().get("message").asString())
          .isEqualTo("plugin [core-sys] is a system plugin and cannot be uninstalled");
    }
    assertThat(host.get("/api/plugins/core-sys").data().get("state").asString())
        .isEqualTo("active");
    assertThat(
            Sql.query(
                host.server.host().db().admin(),
                "SELECT 1 FROM pg_namespace WHERE nspname = 'plugin_core_sys'"))
        .hasSize(1);
  }

  @Test
  void aPluginOthersDependOnIsNotUninstalled() {
    assertThat(host.importZip(plugins.buildZip(TestPlugins.simple("base-lib")), "").status())
        .isEqualTo(201);
    assertThat(
            host.importZip(
                    plugins.buildZip(
                        TestPlugins.simple("uses-base").dependsOn("base-lib", "^1.0.0")),
                    "")
                .status())
        .isEqualTo(201);

    TestHost.Response refused = host.delete("/api/plugins/base-lib?purgeData=true");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("HAS_DEPENDENTS");
    assertThat(refused.json().get("message").asString())
        .isEqualTo(
            "cannot uninstall plugin [base-lib]: installed plugins [uses-base] depend on it (force to uninstall them too)");
    assertThat(host.get("/api/plugins/base-lib").data().get("state").asString())
        .isEqualTo("active");
    assertThat(host.get("/api/plugins/uses-base").data().get("state").asString())
        .isEqualTo("active");

    assertThat(host.delete("/api/plugins/uses-base").status()).isEqualTo(200);
    assertThat(host.delete("/api/plugins/base-lib").status()).isEqualTo(200);
  }

  private static List<String> notifications(PGConnection listener) throws SQLException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 20 && out.size() < 2; i++) {
      PGNotification[] batch = listener.getNotifications(250);
      if (batch != null) {
        for (PGNotification n : batch) {
          out.add(n.getParameter());
        }
      }
    }
    return out;
  }
}
