package dev.cas.server;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A plugin's migrations: which are applied (in {@code cas.plugin_migrations}, with their
 * checksums), which are pending, applying them in one transaction as the plugin's role, rolling
 * them back, and the checks after them (tables declared and plain, the role unchanged).
 */
final class PluginMigrations {

  private final DatabaseHost db;
  private final PluginDatabases databases;

  PluginMigrations(DatabaseHost db, PluginDatabases databases) {
    this.db = db;
    this.databases = databases;
  }

  /** Applied migrations of a plugin: file → sha256. */
  Map<String, String> applied(String pluginId) {
    return Sql.query(
            db.admin(),
            "SELECT file_name, sha256 FROM cas.plugin_migrations WHERE plugin_id = ?",
            pluginId)
        .stream()
        .collect(Collectors.toMap(r -> (String) r.get("file_name"), r -> (String) r.get("sha256")));
  }

  /**
   * The package's migrations not applied yet, in order. Refuses a changed, already applied file.
   */
  List<String> pending(PluginPackage pkg) {
    Manifest m = pkg.manifest();
    Map<String, String> applied = applied(m.id());
    List<String> pending = new ArrayList<>();
    for (String file : m.database().migrations()) {
      String sha = ChecksumFile.sha256(migrationFile(pkg, file, ""));
      String recorded = applied.get(file);
      if (recorded != null && !recorded.equals(sha)) {
        throw new HostException(
            HostException.Reason.MIGRATION_CHANGED,
            "migration ["
                + file
                + "] of plugin ["
                + m.id()
                + "] changed after it was applied: recorded sha256 ["
                + recorded
                + "], package has ["
                + sha
                + "]");
      }
      if (recorded == null) {
        pending.add(file);
      }
    }
    return pending;
  }

  /**
   * Applies the given migrations as the plugin's role in <em>one</em> PostgreSQL transaction
   * (PostgreSQL's DDL is transactional), ending with {@code marker} as the schema's comment, then
   * records them. Threat: half an upgrade's schema after a failing or interrupted migration; the
   * marker tells a host restarted after a crash whether the transaction committed.
   */
  void migrate(PluginPackage pkg, List<String> files, String marker) {
    Manifest m = pkg.manifest();
    String[] current = new String[1];
    try {
      Sql.inTransaction(
          databases.pool(m.id()),
          c -> {
            for (String file : files) {
              current[0] = file;
              String sql = PluginDatabases.read(migrationFile(pkg, file, ""));
              MigrationSql.requireNoTransactionControl(m.id(), file, sql);
              PluginDatabases.exec(c, sql);
            }
            current[0] = null;
            PluginDatabases.exec(
                c,
                "COMMENT ON SCHEMA "
                    + PluginDatabases.quote(PluginDatabases.schemaOf(m))
                    + " IS "
                    + PluginDatabases.literal(marker));
            return null;
          });
    } catch (Sql.DatabaseException e) {
      throw new HostException(
          HostException.Reason.MIGRATION_FAILED,
          "migration ["
              + current[0]
              + "] of plugin ["
              + m.id()
              + "] failed: "
              + e.getMessage()
              + " (no migration of this operation was applied)",
          e);
    }
    Sql.inTransaction(
        db.admin(),
        c -> {
          for (String file : files) {
            Sql.update(
                c,
                "INSERT INTO cas.plugin_migrations(plugin_id, file_name, sha256) VALUES (?,?,?)"
                    + " ON CONFLICT DO NOTHING",
                m.id(),
                file,
                ChecksumFile.sha256(migrationFile(pkg, file, "")));
          }
          return null;
        });
  }

  /** Whether the migration transaction that wrote {@code marker} committed. */
  boolean markerPresent(String schema, String marker) {
    return Sql.one(
            db.admin(),
            "SELECT 1 FROM pg_namespace WHERE nspname = ? AND obj_description(oid, 'pg_namespace') = ?",
            schema,
            marker)
        .isPresent();
  }

  /** The SQL of a package's migration, as it would run here. */
  String migrationSql(PluginPackage pkg, String file) {
    return PluginDatabases.read(migrationFile(pkg, file, ""));
  }

  /** The file to run: the PostgreSQL twin {@code NNN_name.postgresql.sql} when present. */
  private static Path migrationFile(PluginPackage pkg, String file, String suffix) {
    String base = file.replaceFirst("\\.sql$", "") + suffix;
    Path twin = pkg.file("backend/migrations/" + base + ".postgresql.sql");
    return Files.exists(twin) ? twin : pkg.file("backend/migrations/" + base + ".sql");
  }

  /**
   * Runs the rollbacks of the given applied migrations in reverse order, as the plugin's role, in
   * one transaction, and forgets them. Missing rollback files are skipped; the schema drop that
   * follows a purge removes what is left.
   */
  void rollback(PluginPackage pkg, List<String> migrations) {
    Manifest m = pkg.manifest();
    Sql.inTransaction(
        databases.pool(m.id()),
        c -> {
          for (int i = migrations.size() - 1; i >= 0; i--) {
            Path rollback = migrationFile(pkg, migrations.get(i), "_rollback");
            if (Files.exists(rollback)) {
              PluginDatabases.exec(c, PluginDatabases.read(rollback));
            }
          }
          return null;
        });
    forget(m.id(), migrations);
  }

  /** Removes the records of these migrations. */
  void forget(String pluginId, List<String> migrations) {
    Sql.update(
        db.admin(),
        "DELETE FROM cas.plugin_migrations WHERE plugin_id = ? AND file_name = ANY(?)",
        pluginId,
        migrations.toArray(String[]::new));
  }

  /**
   * Threat: a migration (or something the host ran for the plugin) gave the plugin's role more than
   * its own schema: an attribute (SUPERUSER, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS), a
   * membership in another role, or an object in another schema. Refused, so the operation rolls
   * back.
   */
  void requirePlainRole(Manifest manifest) {
    String role = databases.roleOf(manifest);
    String schema = PluginDatabases.schemaOf(manifest);
    List<String> found = new ArrayList<>();
    Sql.one(
            db.admin(),
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls FROM pg_roles"
                + " WHERE rolname = ?",
            role)
        .ifPresent(
            r ->
                r.forEach(
                    (k, v) -> {
                      if (Boolean.TRUE.equals(v)) {
                        found.add("attribute " + k.substring(3).toUpperCase(java.util.Locale.ROOT));
                      }
                    }));
    Sql.query(
            db.admin(),
            "SELECT g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid"
                + " JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = ? ORDER BY 1",
            role)
        .forEach(r -> found.add("membership in role [" + r.get("rolname") + "]"));
    Sql.query(
            db.admin(),
            "SELECT n.nspname || '.' || c.relname AS name FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = ?)"
                + " AND n.nspname <> ? AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast%'"
                + " UNION ALL SELECT n.nspname || '.' || p.proname FROM pg_proc p"
                + " JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = ?) AND n.nspname <> ?"
                + " UNION ALL SELECT nspname FROM pg_namespace"
                + " WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = ?) AND nspname <> ?"
                + " AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast%' ORDER BY 1",
            role,
            schema,
            role,
            schema,
            role,
            schema)
        .forEach(r -> found.add("object [" + r.get("name") + "] outside schema [" + schema + "]"));
    if (!found.isEmpty()) {
      throw new HostException(
          HostException.Reason.ROLE_ESCALATION,
          "the database role of plugin ["
              + manifest.id()
              + "] gained what it may not have: "
              + String.join(", ", found));
    }
  }

  /** Tables the schema has that the manifest does not declare. */
  List<String> undeclaredTables(Manifest manifest) {
    Set<String> declared = Set.copyOf(manifest.database().tables());
    return relations(manifest).entrySet().stream()
        .map(Map.Entry::getKey)
        .filter(t -> !declared.contains(t))
        .toList();
  }

  /**
   * Declared tables that a migration made something other than a plain table. Threat: a view (or a
   * foreign or partitioned table) runs the plugin's functions when the host reads it for an export.
   */
  List<String> declaredNonTables(Manifest manifest) {
    return relations(manifest).entrySet().stream()
        .filter(e -> manifest.database().tables().contains(e.getKey()) && !"r".equals(e.getValue()))
        .map(e -> e.getKey() + " (" + RELATION_KINDS.getOrDefault(e.getValue(), e.getValue()) + ")")
        .toList();
  }

  private static final Map<String, String> RELATION_KINDS =
      Map.of("p", "partitioned table", "v", "view", "m", "materialized view", "f", "foreign table");

  /**
   * The schema's tables, views, materialized views, foreign and partitioned tables: name → kind.
   */
  private Map<String, String> relations(Manifest manifest) {
    Map<String, String> out = new java.util.TreeMap<>();
    Sql.query(
            db.admin(),
            "SELECT c.relname, c.relkind::text AS kind FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            PluginDatabases.schemaOf(manifest))
        .forEach(r -> out.put((String) r.get("relname"), (String) r.get("kind")));
    return out;
  }
}
