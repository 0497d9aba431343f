package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.database.Sql;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every import is all or nothing: each refusal answers with its reason and leaves the registry, the
 * schemas, the roles, the stored files and the runtime exactly as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ImportRefusalCases {

  Path tmp;
  TestHost host;
  TestPlugins plugins;

  /** The host under test: on the embedded or on the external PostgreSQL. */
  abstract TestHost newHost(Path dataDir);

  @BeforeAll
  void start(@TempDir Path dir) {
    tmp = dir;
    host = newHost(tmp.resolve("host"));
    plugins = new TestPlugins(tmp.resolve("build"));
  }

  @AfterAll
  void stop() {
    host.close();
  }

  /** What an import may change. */
  record Snapshot(
      List<Map<String, Object>> registry,
      List<Map<String, Object>> schemas,
      List<Map<String, Object>> roles,
      List<String> files,
      List<String> runtime) {}

  Snapshot snapshot() throws IOException {
    var ds = host.server.host().db().admin();
    List<String> files;
    Path dir = host.dataDir.resolve("plugins");
    try (Stream<Path> walk = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
      files = walk.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
    return new Snapshot(
        Sql.query(ds, "SELECT id, version FROM cas.plugins ORDER BY id"),
        Sql.query(ds, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'plugin_%' ORDER BY 1"),
        Sql.query(ds, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'cas_%' ORDER BY 1"),
        files,
        host.server.host().runtime().list().stream().map(p -> p.id() + "@" + p.version()).toList());
  }

  private void assertRefusedWithoutChange(
      TestPlugins.Spec spec, int status, String code, String message) throws IOException {
    Path zip = plugins.buildZip(spec);
    Snapshot before = snapshot();
    TestHost.Response r = host.importZip(zip, "");
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.errorCode()).isEqualTo(code);
    assertThat(r.json().get("message").asString()).contains(message);
    assertThat(r.json().get("success").asBoolean()).isFalse();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void migrationThatFailsHalfwayLeavesNoTables() throws IOException {
    assertRefusedWithoutChange(
        NotesPlugin.spec("1.0.0")
            .migration(
                "002_broken.sql",
                "CREATE TABLE notes_extra (id INT); CREATE TABLE broken (x no_such_type);",
                "DROP TABLE notes_extra;"),
        422,
        "MIGRATION_FAILED",
        "migration [002_broken.sql] of plugin [notes] failed");
  }

  @Test
  void migrationCreatingAnUndeclaredTableIsRefused() throws IOException {
    assertRefusedWithoutChange(
        NotesPlugin.spec("1.0.0")
            .migration("002_sneaky.sql", "CREATE TABLE sneaky (id INT);", "DROP TABLE sneaky;"),
        422,
        "UNDECLARED_TABLE",
        "created tables [sneaky] that database.tables does not declare");
  }

  @Test
  void initializeThatThrowsRollsBackTheSchema() throws IOException {
    TestPlugins.Spec spec =
        NotesPlugin.spec("1.0.0")
            .main(
                "test.notes.Main",
                NotesPlugin.SOURCE.replace(
                    "db = c.service(Database.class);",
                    "if (true) throw new IllegalStateException(\"boom\");"));
    assertRefusedWithoutChange(
        spec,
        422,
        "INITIALIZE_FAILED",
        "plugin [notes] main class [test.notes.Main] failed in initialize: java.lang.IllegalStateException: boom");
  }

  @Test
  void tamperedPackageIsRefused() throws IOException {
    Path zip = plugins.buildZip(NotesPlugin.spec("1.0.0"));
    Path tampered = tmp.resolve("tampered.zip");
    dev.cas.packaging.PackageReader.create(dev.cas.packaging.ReadOptions.defaults())
        .read(zip, tmp.resolve("t"));
    Files.writeString(
        tmp.resolve("t/backend/migrations/001_notes.sql"), "DROP SCHEMA cas CASCADE;");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(tampered));
        Stream<Path> files = Files.walk(tmp.resolve("t"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new java.util.zip.ZipEntry(tmp.resolve("t").relativize(f).toString()));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
    Snapshot before = snapshot();
    TestHost.Response r = host.importZip(tampered, "");
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("CHECKSUM_MISMATCH");
    assertThat(r.json().get("message").asString())
        .startsWith("checksum mismatch for [backend/migrations/001_notes.sql]");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void missingDependencyIsRefused() throws IOException {
    assertRefusedWithoutChange(
        TestPlugins.simple("needy").dependsOn("no-such-plugin", "^1.0.0"),
        409,
        "DEPENDENCY_UNSATISFIED",
        "no-such-plugin requires [^1.0.0] but found [(none)]");
  }

  @Test
  void versionRulesAndTableOwnershipAndDatabaseIsolation() throws IOException {
    assertThat(host.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
        .isEqualTo(201);
    try {
      TestHost.Response same = host.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "");
      assertThat(same.status()).isEqualTo(200);
      assertThat(same.data().get("outcome").asString()).isEqualTo("unchanged");

      TestHost.Response newer = host.importZip(plugins.buildZip(NotesPlugin.spec("1.1.0")), "");
      assertThat(newer.status()).isEqualTo(409);
      assertThat(newer.errorCode()).isEqualTo("UPGRADE_REQUIRED");

      assertRefusedWithoutChange(
          TestPlugins.simple("thief").tables("notes"),
          409,
          "TABLE_CONFLICT",
          "table [notes] declared by plugin [thief] belongs to plugin [notes]");

      String peek =
          "/api/plugins/notes/peek?sql="
              + URLEncoder.encode("SELECT * FROM cas.users", StandardCharsets.UTF_8);
      TestHost.Response denied = host.get(peek);
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.text()).contains("permission denied for schema cas");

      TestHost.Response upgraded =
          host.importZip(plugins.buildZip(NotesPlugin.spec("1.1.0")), "?upgrade=true");
      assertThat(upgraded.status()).as(upgraded.text()).isEqualTo(201);
      assertThat(upgraded.data().get("outcome").asString()).isEqualTo("upgraded");
      assertThat(host.get("/api/plugins/notes").data().get("version").asString())
          .isEqualTo("1.1.0");
    } finally {
      TestHost.Response removed =
          host.send("DELETE", "/api/plugins/notes?purgeData=true", host.adminToken, null, null);
      assertThat(removed.status()).as(removed.text()).isEqualTo(200);
    }
    assertThat(
            Sql.query(
                host.server.host().db().admin(),
                "SELECT 1 FROM pg_namespace WHERE nspname = 'plugin_notes'"))
        .isEmpty();
  }
}
