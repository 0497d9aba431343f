package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.database.Sql;
import dev.cas.server.install.OperationJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Install and upgrade are all or nothing: each step made to fail in turn, a failing migration among
 * several, the database connection lost mid-migration, SQL that tries to escape its transaction or
 * its role. After every refusal the host is exactly as before ({@link HostSnapshot}), and the same
 * operation then succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallPipelineTest {

  static final String STEPS =
      "files, schema, migrations, data, isolation, config, start, health, registry";

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

  @AfterEach
  void removeNotes() {
    System.clearProperty("cas.test.fail-after");
    if (host.get("/api/plugins/notes").status() == 200) {
      TestHost.Response r = host.delete("/api/plugins/notes?purgeData=true");
      assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
  }

  /** Notes 1.0.0 with two rows and a configuration value in data/export.json. */
  Path notesWithData() {
    return TestPackages.rewrite(
        plugins.buildZip(NotesPlugin.spec("1.0.0")),
        tmp.resolve("notes-data-" + System.nanoTime() + ".zip"),
        folder -> {
          Files.createDirectories(folder.resolve("data"));
          Files.writeString(
              folder.resolve("data/export.json"),
              """
              {"config": {"greeting": "hello"},
               "records": {"notes": [{"id": 1, "user_id": "ada", "body": "one"},
                                     {"id": 2, "user_id": "bob", "body": "two"}]}}
              """);
        });
  }

  /** Notes 1.1.0: a second migration with a table of its own. */
  TestPlugins.Spec notesUpgrade() {
    return NotesPlugin.spec("1.1.0")
        .tables("tags")
        .migration(
            "002_tags.sql", "CREATE TABLE tags (note_id BIGINT, tag TEXT);", "DROP TABLE tags;");
  }

  static List<String> steps() {
    return List.of(STEPS.split(", "));
  }

  HostSnapshot snapshot() {
    return HostSnapshot.of(host, true);
  }

  @ParameterizedTest
  @MethodSource("steps")
  void everyInstallStepIsUndoneWhenItFails(String step) {
    Path zip = notesWithData();
    HostSnapshot before = snapshot();
    System.setProperty("cas.test.fail-after", "install:" + step);
    TestHost.Response r = host.importZip(zip, "");
    System.clearProperty("cas.test.fail-after");

    assertThat(r.status()).as(r.text()).isEqualTo(500);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(lastOperation())
        .containsEntry("state", "rolled-back")
        .containsEntry("kind", "install");

    TestHost.Response again = host.importZip(zip, "");
    assertThat(again.status()).as(again.text()).isEqualTo(201);
    assertThat(host.get("/api/plugins/notes/greeting").text()).isEqualTo("hello");
  }

  @ParameterizedTest
  @MethodSource("steps")
  void everyUpgradeStepIsUndoneWhenItFails(String step) {
    assertThat(host.importZip(notesWithData(), "").status()).isEqualTo(201);
    TestHost.Response configured =
        host.put(
            "/api/plugins/notes/config",
            host.adminToken,
            "{\"greeting\": \"hey\", \"apiKey\": \"k-123\"}");
    assertThat(configured.status()).as(configured.text()).isEqualTo(200);
    Path upgrade = plugins.buildZip(notesUpgrade());
    HostSnapshot before = snapshot();

    System.setProperty("cas.test.fail-after", "upgrade:" + step);
    TestHost.Response r = host.importZip(upgrade, "?upgrade=true");
    System.clearProperty("cas.test.fail-after");

    assertThat(r.status()).as(r.text()).isEqualTo(500);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(host.get("/api/plugins/notes/greeting").text()).isEqualTo("hey");
    assertThat(host.get("/api/plugins/notes/key-length").text()).isEqualTo("5");

    TestHost.Response again = host.importZip(upgrade, "?upgrade=true");
    assertThat(again.status()).as(again.text()).isEqualTo(201);
    assertThat(host.get("/api/plugins/notes").data().get("version").asString()).isEqualTo("1.1.0");
  }

  @Test
  void failedUpgradeLeavesNoneOfItsMigrations() {
    assertThat(host.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
        .isEqualTo(201);
    HostSnapshot before = snapshot();
    Path broken =
        plugins.buildZip(
            NotesPlugin.spec("1.0.1")
                .tables("b")
                .migration("002_b.sql", "CREATE TABLE b (id INT);", "DROP TABLE b;")
                .migration("003_bad.sql", "CREATE TABLE c (x no_such_type);", "DROP TABLE c;"));

    TestHost.Response r = host.importZip(broken, "?upgrade=true");

    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("MIGRATION_FAILED");
    assertThat(r.json().get("message").asString())
        .startsWith("migration [003_bad.sql] of plugin [notes] failed: ")
        .endsWith("(no migration of this operation was applied)");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(host.get("/api/plugins/notes").data().get("version").asString()).isEqualTo("1.0.0");
  }

  @Test
  void upgradeCreatingAnUndeclaredTableLeavesNothingEvenWithoutItsRollback() {
    assertThat(host.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
        .isEqualTo(201);
    HostSnapshot before = snapshot();
    // The rollback file undoes nothing: only the one migration transaction can.
    TestHost.Response r =
        host.importZip(
            plugins.buildZip(
                NotesPlugin.spec("1.0.1")
                    .migration("002_sneaky.sql", "CREATE TABLE sneaky (id INT);", "SELECT 1;")),
            "?upgrade=true");
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("UNDECLARED_TABLE");
    assertThat(r.json().get("message").asString())
        .isEqualTo(
            "migrations of plugin [notes] created tables [sneaky] that database.tables does not"
                + " declare");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void connectionLostMidMigrationLeavesNothing() throws Exception {
    HostSnapshot before = snapshot();
    Path zip =
        plugins.buildZip(
            NotesPlugin.spec("1.0.0")
                .tables("slow")
                .migration(
                    "002_slow.sql",
                    "CREATE TABLE slow (id INT); SELECT pg_sleep(600);",
                    "DROP TABLE slow;"));
    CompletableFuture<TestHost.Response> importing =
        CompletableFuture.supplyAsync(() -> host.importZip(zip, ""));
    var admin = host.server.host().db().admin();
    String sleeping =
        "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()";
    Awaits.awaitUntil(() -> !Sql.query(admin, sleeping).isEmpty());
    TestHost.Response concurrent = host.importZip(zip, "");
    assertThat(concurrent.status()).as(concurrent.text()).isEqualTo(409);
    assertThat(concurrent.errorCode()).isEqualTo("OPERATION_IN_PROGRESS");
    assertThat(concurrent.json().get("message").asString())
        .isEqualTo("another operation on plugin [notes] is running; try again when it ends");
    Sql.query(admin, "SELECT pg_terminate_backend(pid) FROM (" + sleeping + ") s");

    TestHost.Response r = importing.get();

    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("MIGRATION_FAILED");
    assertThat(r.json().get("message").asString())
        .startsWith("migration [002_slow.sql] of plugin [notes] failed: ");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(host.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
        .isEqualTo(201);
  }

  @Test
  void migrationThatCommitsIsRefusedBeforeItRuns() {
    HostSnapshot before = snapshot();
    TestHost.Response r =
        host.importZip(
            plugins.buildZip(
                NotesPlugin.spec("1.0.0")
                    .tables("early")
                    .migration(
                        "002_commit.sql",
                        "CREATE TABLE early (id INT);\n-- a comment; and 'a string; COMMIT'\n  commit;",
                        "DROP TABLE early;")),
            "");
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("MIGRATION_FAILED");
    assertThat(r.json().get("message").asString())
        .isEqualTo(
            "migration [002_commit.sql] of plugin [notes] controls transactions (COMMIT): the"
                + " migrations of an install or upgrade run in one transaction, so a file may not"
                + " begin, commit or roll one back");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void triggerFiredByTheDataImportRunsAsThePluginRoleNotAsTheHost() {
    // The trigger tries to make the plugin's own role a superuser: it would work if the host
    // inserted data/export.json's rows as its superuser.
    String trigger =
        """
        CREATE FUNCTION escalate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          EXECUTE 'ALTER ROLE ' || quote_ident((SELECT nspowner::regrole::text FROM pg_namespace
            WHERE nspname = 'plugin_notes')) || ' SUPERUSER';
          RETURN NEW;
        END $$;
        CREATE TRIGGER escalate BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION escalate();
        """;
    Path zip =
        TestPackages.rewrite(
            plugins.buildZip(
                NotesPlugin.spec("1.0.0")
                    .migration("002_trigger.sql", trigger, "DROP FUNCTION escalate() CASCADE;")),
            tmp.resolve("trigger.zip"),
            folder -> {
              Files.createDirectories(folder.resolve("data"));
              Files.writeString(
                  folder.resolve("data/export.json"),
                  "{\"records\": {\"notes\": [{\"id\": 1, \"user_id\": \"ada\", \"body\": \"x\"}]}}");
            });
    HostSnapshot before = snapshot();

    TestHost.Response r = host.importZip(zip, "");

    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("DATA_INVALID");
    assertThat(r.json().get("message").asString())
        .startsWith(
            "data/export.json records of table [notes] of plugin [notes] cannot be inserted:")
        .contains("permission denied");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void declaredTableMadeAViewIsRefused() {
    HostSnapshot before = snapshot();
    TestHost.Response r =
        host.importZip(
            plugins.buildZip(
                TestPlugins.simple("viewer")
                    .tables("items")
                    .migration(
                        "001_items.sql",
                        "CREATE VIEW items AS SELECT 1 AS id;",
                        "DROP VIEW items;")),
            "");
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("UNDECLARED_TABLE");
    assertThat(r.json().get("message").asString())
        .isEqualTo(
            "migrations of plugin [viewer] made declared tables [items (view)] something other"
                + " than plain tables");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void routeTheHostAnswersItselfIsRefused() {
    HostSnapshot before = snapshot();
    TestHost.Response r =
        host.importZip(
            plugins.buildZip(
                TestPlugins.plugin("shadowed")
                    .main(
                        "test.shadowed.Main",
                        """
                        package test.shadowed;
                        import dev.cas.plugin.api.*;
                        public class Main implements Plugin {
                          public void initialize(PluginContext c) {
                            c.routes().register("GET", "/config", r -> HttpRoutes.Response.text(200, "mine"));
                          }
                        }
                        """)
                    .permissions("http.routes")),
            "");
    assertThat(r.status()).as(r.text()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("INITIALIZE_FAILED");
    assertThat(r.json().get("message").asString())
        .contains(
            "plugin [shadowed] route GET /config is the host's: /api/plugins/{id}/config belongs to"
                + " the plugin API; first path segments reserved for it: [activate, config,"
                + " deactivate, docs, export, health, logs, metrics, operations, status, upgrade]");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void recoveryLeavesAnOperationWhoseOwnerIsStillAlive() {
    Host h = host.server.host();
    OperationJournal.Operation op =
        h.journal()
            .begin(
                "ghost",
                OperationJournal.Kind.INSTALL,
                java.util.Optional.empty(),
                java.util.Optional.of("1.0.0"),
                java.util.Optional.empty());
    try {
      // Another host starting on the same database while this one holds the operation's lock.
      List<String> settled = h.recovery(java.time.Duration.ofMillis(200)).recover();
      assertThat(settled)
          .containsExactly(
              "install of plugin [ghost] is still running on a host that holds its lock; left to it");
      assertThat(h.journal().running("ghost")).isPresent();
    } finally {
      h.journal().finish(op, "rolled-back", "test");
      h.journal().release(op);
    }
  }

  private Map<String, Object> lastOperation() {
    List<Map<String, Object>> ops = host.server.host().journal().history("notes", 1);
    assertThat(ops).hasSize(1);
    return ops.getFirst();
  }
}
