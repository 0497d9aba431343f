package dev.cas.server.database;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import dev.cas.server.HostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
public final class PluginMigrations {

  private final DatabaseHost db;
  private final PluginDatabases databases;

  public PluginMigrations(DatabaseHost db, PluginDatabases databases) {
    this.db = db;
    this.databases = databases;
  }

  /** Applied migrations of a plugin: file → sha256. */
  public Map<String, String> applied(String pluginId) {
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
  public List<String> pending(PluginPackage pkg) {
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
  public void migrate(PluginPackage pkg, List<String> files, String marker) {
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
            requireSound(c, m, databases.roleOf(m));
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
  public boolean markerPresent(String schema, String marker) {
    return Sql.one(
            db.admin(),
            "SELECT 1 FROM pg_namespace WHERE nspname = ? AND obj_description(oid, 'pg_namespace') = ?",
            schema,
            marker)
        .isPresent();
  }

  /** The SQL of a package's migration, as it would run here. */
  public String migrationSql(PluginPackage pkg, String file) {
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
  public void rollback(PluginPackage pkg, List<String> migrations) {
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
  public void forget(String pluginId, List<String> migrations) {
    Sql.update(
        db.admin(),
        "DELETE FROM cas.plugin_migrations WHERE plugin_id = ? AND file_name = ANY(?)",
        pluginId,
        migrations.toArray(String[]::new));
  }

  /**
   * The checks after migrations, on the host's connection (after the data import: a trigger of the
   * plugin's could have run then).
   *
   * @throws HostException {@code UNDECLARED_TABLE} or {@code ROLE_ESCALATION}
   */
  public void requireSound(Manifest manifest) {
    try (Connection c = db.admin().getConnection()) {
      c.setAutoCommit(false);
      try {
        requireSound(c, manifest, databases.roleOf(manifest));
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new Sql.DatabaseException(e);
    }
  }

  /**
   * The checks after migrations, on {@code c}: inside the migration transaction they see its
   * uncommitted work, so a failure leaves nothing applied, rollback files or not. Threats:
   *
   * <ul>
   *   <li>a table the manifest does not declare (the table-ownership rules could not see it);
   *   <li>a declared "table" that is a view, materialized view, foreign or partitioned table: the
   *       host reading it for an export would run the plugin's functions;
   *   <li>the plugin's role gaining an attribute (SUPERUSER, CREATEROLE, CREATEDB, REPLICATION,
   *       BYPASSRLS), a membership, or an object outside its schema.
   * </ul>
   *
   * Catalogs are named with {@code pg_catalog.} and the search path is reset first, so the plugin's
   * own objects (a view named {@code pg_roles}, an operator {@code =}) cannot answer.
   */
  public static void requireSound(Connection c, Manifest manifest, String role)
      throws SQLException {
    String schema = PluginDatabases.schemaOf(manifest);
    PluginDatabases.exec(c, "SET LOCAL search_path = pg_catalog, pg_temp");
    Map<String, String> relations = new java.util.TreeMap<>();
    Sql.query(
            c,
            "SELECT c.relname, c.relkind::text AS kind FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            schema)
        .forEach(r -> relations.put((String) r.get("relname"), (String) r.get("kind")));
    Set<String> declared = Set.copyOf(manifest.database().tables());
    List<String> undeclared =
        relations.keySet().stream().filter(t -> !declared.contains(t)).toList();
    if (!undeclared.isEmpty()) {
      throw new HostException(
          HostException.Reason.UNDECLARED_TABLE,
          "migrations of plugin ["
              + manifest.id()
              + "] created tables "
              + undeclared
              + " that database.tables does not declare");
    }
    List<String> notTables =
        relations.entrySet().stream()
            .filter(e -> !"r".equals(e.getValue()))
            .map(e -> e.getKey() + " (" + RELATION_KINDS.get(e.getValue()) + ")")
            .toList();
    if (!notTables.isEmpty()) {
      throw new HostException(
          HostException.Reason.UNDECLARED_TABLE,
          "migrations of plugin ["
              + manifest.id()
              + "] made declared tables "
              + notTables
              + " something other than plain tables");
    }
    List<String> found = new ArrayList<>();
    for (Map<String, Object> r :
        Sql.query(
            c,
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls"
                + " FROM pg_catalog.pg_roles WHERE rolname = ?",
            role)) {
      r.forEach(
          (k, v) -> {
            if (Boolean.TRUE.equals(v)) {
              found.add("attribute " + k.substring(3).toUpperCase(java.util.Locale.ROOT));
            }
          });
    }
    Sql.query(
            c,
            "SELECT g.rolname FROM pg_catalog.pg_auth_members a"
                + " JOIN pg_catalog.pg_roles g ON g.oid = a.roleid"
                + " JOIN pg_catalog.pg_roles m ON m.oid = a.member WHERE m.rolname = ? ORDER BY 1",
            role)
        .forEach(r -> found.add("membership in role [" + r.get("rolname") + "]"));
    String owner = "(SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)";
    Sql.query(
            c,
            "SELECT n.nspname || '.' || c.relname AS name FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relowner = "
                + owner
                + " AND n.nspname <> ? AND n.nspname NOT LIKE 'pg_temp%'"
                + " AND n.nspname NOT LIKE 'pg_toast%'"
                + " UNION ALL SELECT n.nspname || '.' || p.proname FROM pg_catalog.pg_proc p"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE p.proowner = "
                + owner
                + " AND n.nspname <> ?"
                + " UNION ALL SELECT nspname FROM pg_catalog.pg_namespace WHERE nspowner = "
                + owner
                + " AND nspname <> ? AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast%'"
                + " ORDER BY 1",
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

  private static final Map<String, String> RELATION_KINDS =
      Map.of("p", "partitioned table", "v", "view", "m", "materialized view", "f", "foreign table");
}
