package dev.cas.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Each plugin's place in the database: its schema, owned by its own login role, which has no
 * privilege anywhere else, so the database itself refuses a plugin touching another's tables or the
 * host's. Migrations run as that role; tables with a {@code user_id} column get row-level security
 * keyed to {@code cas.user_id}, which the host sets per request.
 */
final class PluginDatabases implements AutoCloseable {

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private final DatabaseHost db;
  private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

  PluginDatabases(DatabaseHost db) {
    this.db = db;
  }

  /** The role name of a plugin on this database: unique per database in a shared cluster. */
  String roleOf(Manifest manifest) {
    String dbTag = Passwords.sha256(db.databaseName()).substring(0, 8);
    String name = "cas_" + dbTag + "_" + manifest.database().schema().orElseThrow();
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  static String schemaOf(Manifest manifest) {
    return manifest.database().schema().orElseThrow();
  }

  /** Whether the plugin's schema exists (left from an earlier install without purge). */
  boolean schemaExists(Manifest manifest) {
    return Sql.one(db.admin(), "SELECT 1 FROM pg_namespace WHERE nspname = ?", schemaOf(manifest))
        .isPresent();
  }

  /**
   * Creates the role and schema (or re-keys an existing role), then opens the plugin's pool.
   * Threat: a plugin reaching the host's schema or another plugin's: its role gets no grants.
   */
  void ensureRoleAndSchema(Manifest manifest) {
    String role = roleOf(manifest);
    String schema = schemaOf(manifest);
    if (pools.containsKey(manifest.id())) {
      // An upgrade: the running version keeps its pool, so the role keeps its password.
      return;
    }
    String password = Passwords.randomToken(24);
    Sql.inTransaction(
        db.admin(),
        c -> {
          boolean exists =
              !Sql.query(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role).isEmpty();
          String q = quote(role);
          if (!exists) {
            exec(
                c,
                "CREATE ROLE "
                    + q
                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS CONNECTION LIMIT 8");
          }
          exec(c, "ALTER ROLE " + q + " PASSWORD " + literal(password));
          exec(c, "CREATE SCHEMA IF NOT EXISTS " + quote(schema) + " AUTHORIZATION " + q);
          exec(c, "ALTER ROLE " + q + " SET search_path = " + quote(schema));
          exec(c, "REVOKE ALL ON SCHEMA public FROM " + q);
          return null;
        });
    HikariDataSource pool = db.rolePool(role, password);
    String loggedIn = (String) Sql.query(pool, "SELECT current_user AS u").getFirst().get("u");
    if (!role.equals(loggedIn)) {
      pool.close();
      throw new IllegalStateException(
          "plugin ["
              + manifest.id()
              + "] connections log in as ["
              + loggedIn
              + "], not as its role ["
              + role
              + "]; refusing to run its SQL with the wrong privileges");
    }
    HikariDataSource old = pools.put(manifest.id(), pool);
    if (old != null) {
      old.close();
    }
  }

  /** The plugin role's pool. */
  HikariDataSource pool(String pluginId) {
    HikariDataSource ds = pools.get(pluginId);
    if (ds == null) {
      throw new IllegalStateException("plugin [" + pluginId + "] has no database connection pool");
    }
    return ds;
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
          pool(m.id()),
          c -> {
            for (String file : files) {
              current[0] = file;
              String sql = read(migrationFile(pkg, file, ""));
              MigrationSql.requireNoTransactionControl(m.id(), file, sql);
              exec(c, sql);
            }
            current[0] = null;
            exec(c, "COMMENT ON SCHEMA " + quote(schemaOf(m)) + " IS " + literal(marker));
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

  /**
   * Threat: a migration (or something the host ran for the plugin) gave the plugin's role more than
   * its own schema: an attribute (SUPERUSER, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS), a
   * membership in another role, or an object in another schema. Refused, so the operation rolls
   * back.
   */
  void requirePlainRole(Manifest manifest) {
    String role = roleOf(manifest);
    String schema = schemaOf(manifest);
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

  /** The SQL of a package's migration, as it would run here. */
  String migrationSql(PluginPackage pkg, String file) {
    return read(migrationFile(pkg, file, ""));
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
        pool(m.id()),
        c -> {
          for (int i = migrations.size() - 1; i >= 0; i--) {
            Path rollback = migrationFile(pkg, migrations.get(i), "_rollback");
            if (Files.exists(rollback)) {
              exec(c, read(rollback));
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
            schemaOf(manifest))
        .forEach(r -> out.put((String) r.get("relname"), (String) r.get("kind")));
    return out;
  }

  /**
   * Row-level security on every table of the schema that has a {@code user_id} column: a request
   * scoped to a user sees and changes only that user's rows; an unscoped one sees none.
   */
  void enableUserIsolation(Manifest manifest) {
    String schema = schemaOf(manifest);
    List<String> tables =
        Sql.query(
                db.admin(),
                "SELECT table_name FROM information_schema.columns WHERE table_schema = ? AND column_name = 'user_id'",
                schema)
            .stream()
            .map(r -> (String) r.get("table_name"))
            .toList();
    Sql.inTransaction(
        db.admin(),
        c -> {
          for (String t : tables) {
            String qt = quote(schema) + "." + quote(t);
            exec(c, "ALTER TABLE " + qt + " ENABLE ROW LEVEL SECURITY");
            exec(c, "ALTER TABLE " + qt + " FORCE ROW LEVEL SECURITY");
            exec(c, "DROP POLICY IF EXISTS cas_user_isolation ON " + qt);
            exec(
                c,
                "CREATE POLICY cas_user_isolation ON "
                    + qt
                    + " USING (user_id::text = current_setting('cas.user_id', true))"
                    + " WITH CHECK (user_id::text = current_setting('cas.user_id', true))");
          }
          return null;
        });
  }

  /** Closes the plugin's pool (on unload; the role and schema stay). */
  void closePool(String pluginId) {
    HikariDataSource ds = pools.remove(pluginId);
    if (ds != null) {
      ds.close();
    }
  }

  /** Drops the schema with all its data, the role, and the migration records. */
  void purge(Manifest manifest) {
    purge(manifest.id(), schemaOf(manifest), roleOf(manifest));
  }

  /** {@link #purge(Manifest)} by names, for a host finishing an operation after a crash. */
  void purge(String pluginId, String schema, String role) {
    closePool(pluginId);
    Sql.inTransaction(
        db.admin(),
        c -> {
          exec(c, "DROP SCHEMA IF EXISTS " + quote(schema) + " CASCADE");
          if (!Sql.query(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role).isEmpty()) {
            exec(c, "DROP OWNED BY " + quote(role));
            exec(c, "DROP ROLE " + quote(role));
          }
          Sql.update(c, "DELETE FROM cas.plugin_migrations WHERE plugin_id = ?", pluginId);
          return null;
        });
  }

  /**
   * Rows of a plugin table, read by the host (bypassing row-level security), optionally for some
   * users.
   */
  List<Map<String, Object>> rows(Manifest manifest, String table, List<String> userIds) {
    String qt = quote(schemaOf(manifest)) + "." + quote(table);
    // Threat: the host reading a view (or anything but a plain table) would run the plugin's
    // functions with the host's privileges. A plain table runs no plugin code on SELECT.
    if (Sql.one(
            db.admin(),
            "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind = 'r'",
            schemaOf(manifest),
            table)
        .isEmpty()) {
      throw new HostException(
          HostException.Reason.DATA_INVALID,
          "table ["
              + table
              + "] of plugin ["
              + manifest.id()
              + "] is not a plain table in schema ["
              + schemaOf(manifest)
              + "]; refusing to read it");
    }
    boolean hasUser =
        Sql.one(
                db.admin(),
                "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = 'user_id'",
                schemaOf(manifest),
                table)
            .isPresent();
    if (hasUser && !userIds.isEmpty()) {
      return Sql.query(
          db.admin(),
          "SELECT * FROM " + qt + " WHERE user_id::text = ANY(?) ORDER BY 1",
          (Object) userIds.toArray(String[]::new));
    }
    return Sql.query(db.admin(), "SELECT * FROM " + qt + " ORDER BY 1");
  }

  /**
   * Inserts exported rows into the plugin's tables, as the plugin's role (threat: a trigger of the
   * plugin's firing with the host's privileges), before row-level security is enabled, in the order
   * given (parents before children for foreign keys), all in one transaction; a failing row names
   * its table.
   */
  void insertRows(Manifest manifest, Map<String, List<Map<String, Object>>> rowsByTable) {
    for (String table : rowsByTable.keySet()) {
      if (!manifest.database().tables().contains(table)) {
        throw new HostException(
            HostException.Reason.DATA_INVALID,
            "data/export.json has records for table ["
                + table
                + "], which plugin ["
                + manifest.id()
                + "] does not declare");
      }
    }
    String[] current = new String[1];
    try {
      Sql.inTransaction(
          pool(manifest.id()),
          c -> {
            for (Map.Entry<String, List<Map<String, Object>>> e : rowsByTable.entrySet()) {
              current[0] = e.getKey();
              insertTable(c, manifest, e.getKey(), e.getValue());
            }
            return null;
          });
    } catch (Sql.DatabaseException e) {
      throw new HostException(
          HostException.Reason.DATA_INVALID,
          "data/export.json records of table ["
              + current[0]
              + "] of plugin ["
              + manifest.id()
              + "] cannot be inserted: "
              + e.getMessage(),
          e);
    }
  }

  private static void insertTable(
      Connection c, Manifest manifest, String table, List<Map<String, Object>> rows)
      throws SQLException {
    String qt = quote(schemaOf(manifest)) + "." + quote(table);
    for (Map<String, Object> row : rows) {
      List<String> cols = new ArrayList<>(row.keySet());
      String json = JSON.writeValueAsString(row);
      String sql =
          "INSERT INTO "
              + qt
              + " ("
              + String.join(", ", cols.stream().map(PluginDatabases::quote).toList())
              + ") SELECT "
              + String.join(", ", cols.stream().map(col -> "r." + quote(col)).toList())
              + " FROM json_populate_record(NULL::"
              + qt
              + ", ?::json) r";
      Sql.update(c, sql, json);
    }
    // Rows came with their ids: move serial sequences past them.
    for (Map<String, Object> col :
        Sql.query(
            c,
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                + " AND column_default LIKE 'nextval(%'",
            schemaOf(manifest),
            table)) {
      String name = (String) col.get("column_name");
      Sql.query(
          c,
          "SELECT setval(pg_get_serial_sequence(?, ?), GREATEST(1, (SELECT COALESCE(max("
              + quote(name)
              + "), 0) FROM "
              + qt
              + ")))",
          qt,
          name);
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
  }
}
