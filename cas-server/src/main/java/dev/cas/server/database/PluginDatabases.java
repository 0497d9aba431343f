package dev.cas.server.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.cas.packaging.Manifest;
import dev.cas.server.HostException;
import dev.cas.server.security.Passwords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each plugin's place in the database: its schema, owned by its own login role, which has no
 * privilege anywhere else, so the database itself refuses a plugin touching another's tables or the
 * host's. Migrations run as that role; tables with a {@code user_id} column get row-level security
 * keyed to {@code cas.user_id}, which the host sets per request.
 */
public final class PluginDatabases implements AutoCloseable {

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  private final java.util.concurrent.locks.ReentrantLock catalogChanges =
      new java.util.concurrent.locks.ReentrantLock();
  private final DatabaseHost db;
  private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

  public PluginDatabases(DatabaseHost db) {
    this.db = db;
  }

  /** The role name of a plugin on this database: unique per database in a shared cluster. */
  public String roleOf(Manifest manifest) {
    String dbTag = Passwords.sha256(db.databaseName()).substring(0, 8);
    String name = "cas_" + dbTag + "_" + manifest.database().schema().orElseThrow();
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  public static String schemaOf(Manifest manifest) {
    return manifest.database().schema().orElseThrow();
  }

  /** Whether the plugin's schema exists (left from an earlier install without purge). */
  public boolean schemaExists(Manifest manifest) {
    return Sql.one(db.admin(), "SELECT 1 FROM pg_namespace WHERE nspname = ?", schemaOf(manifest))
        .isPresent();
  }

  /**
   * Creates the role and schema (or re-keys an existing role), then opens the plugin's pool and
   * checks that its connections log in as the role. Threat: a plugin reaching the host's schema or
   * another plugin's: its role gets no grants.
   */
  public void ensureRoleAndSchema(Manifest manifest) {
    if (pools.containsKey(manifest.id())) {
      // An upgrade: the running version keeps its pool, so the role keeps its password.
      return;
    }
    String password = Passwords.randomToken(24);
    createRolesAndSchemas(Map.of(manifest, password));
    HikariDataSource pool = openPool(manifest, password, false);
    String loggedIn = (String) Sql.query(pool, "SELECT current_user AS u").getFirst().get("u");
    if (!roleOf(manifest).equals(loggedIn)) {
      pools.remove(manifest.id(), pool);
      pool.close();
      throw new IllegalStateException(
          "plugin ["
              + manifest.id()
              + "] connections log in as ["
              + loggedIn
              + "], not as its role ["
              + roleOf(manifest)
              + "]; refusing to run its SQL with the wrong privileges");
    }
  }

  /**
   * At start, for every plugin at once: its role and schema as {@link #ensureRoleAndSchema} makes
   * them, in one transaction, each role re-keyed with a new password; the pools open their first
   * connection when the plugin first uses its database, and every connection checks that it logged
   * in as the plugin's role before it is used.
   */
  public void ensureRolesAndSchemas(List<Manifest> manifests) {
    Map<Manifest, String> passwords = new java.util.LinkedHashMap<>();
    for (Manifest m : manifests) {
      if (!pools.containsKey(m.id())) {
        passwords.put(m, Passwords.randomToken(24));
      }
    }
    if (passwords.isEmpty()) {
      return;
    }
    createRolesAndSchemas(passwords);
    passwords.forEach((m, password) -> openPool(m, password, true));
  }

  private void createRolesAndSchemas(Map<Manifest, String> passwords) {
    // One change at a time: PostgreSQL refuses concurrent changes to the same catalog row ("tuple
    // concurrently updated", e.g. schema public's ACL on REVOKE).
    catalogChanges.lock();
    try {
      Sql.inTransaction(
          db.admin(),
          c -> {
            // Roles that exist with their schema (every restart) are only re-keyed.
            java.util.Set<String> ready = new java.util.HashSet<>();
            for (Map<String, Object> r :
                Sql.query(
                    c,
                    "SELECT r.rolname FROM pg_roles r JOIN pg_namespace n ON n.nspowner = r.oid"
                        + " WHERE r.rolname = ANY(?) AND n.nspname = ANY(?)",
                    passwords.keySet().stream().map(this::roleOf).toArray(String[]::new),
                    passwords.keySet().stream()
                        .map(PluginDatabases::schemaOf)
                        .toArray(String[]::new))) {
              ready.add((String) r.get("rolname"));
            }
            for (Map.Entry<Manifest, String> e : passwords.entrySet()) {
              String role = roleOf(e.getKey());
              String q = quote(role);
              if (ready.contains(role)) {
                exec(c, "ALTER ROLE " + q + " PASSWORD " + literal(e.getValue()));
                continue;
              }
              boolean exists =
                  !Sql.query(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role).isEmpty();
              if (!exists) {
                exec(
                    c,
                    "CREATE ROLE "
                        + q
                        + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS CONNECTION LIMIT 8");
              }
              exec(c, "ALTER ROLE " + q + " PASSWORD " + literal(e.getValue()));
              exec(
                  c,
                  "CREATE SCHEMA IF NOT EXISTS "
                      + quote(schemaOf(e.getKey()))
                      + " AUTHORIZATION "
                      + q);
              exec(c, "ALTER ROLE " + q + " SET search_path = " + quote(schemaOf(e.getKey())));
              exec(c, "REVOKE ALL ON SCHEMA public FROM " + q);
            }
            return null;
          });
    } finally {
      catalogChanges.unlock();
    }
  }

  /**
   * A pool of the plugin's role whose every new connection refuses to be used unless it logged in
   * as that role; {@code lazy}: no connection until the first use.
   */
  private HikariDataSource openPool(Manifest manifest, String password, boolean lazy) {
    String role = roleOf(manifest);
    HikariDataSource pool =
        db.rolePool(
            role,
            password,
            "DO $check$ BEGIN IF current_user <> "
                + literal(role)
                + " THEN RAISE EXCEPTION 'connections of plugin "
                + manifest.id().replace("'", "")
                + " log in as %, not as its role', current_user; END IF; END $check$",
            lazy);
    HikariDataSource old = pools.put(manifest.id(), pool);
    if (old != null) {
      old.close();
    }
    return pool;
  }

  /** The plugin role's pool. */
  public HikariDataSource pool(String pluginId) {
    HikariDataSource ds = pools.get(pluginId);
    if (ds == null) {
      throw new IllegalStateException("plugin [" + pluginId + "] has no database connection pool");
    }
    return ds;
  }

  /**
   * Row-level security on every table of the schema that has a {@code user_id} column: a request
   * scoped to a user sees and changes only that user's rows; an unscoped one sees none.
   */
  public void enableUserIsolation(Manifest manifest) {
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
  public void closePool(String pluginId) {
    HikariDataSource ds = pools.remove(pluginId);
    if (ds != null) {
      ds.close();
    }
  }

  /** Drops the schema with all its data, the role, and the migration records. */
  public void purge(Manifest manifest) {
    purge(manifest.id(), schemaOf(manifest), roleOf(manifest));
  }

  /** {@link #purge(Manifest)} by names, for a host finishing an operation after a crash. */
  public void purge(String pluginId, String schema, String role) {
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
  public List<Map<String, Object>> rows(Manifest manifest, String table, List<String> userIds) {
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
  public void insertRows(Manifest manifest, Map<String, List<Map<String, Object>>> rowsByTable) {
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

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static String read(Path file) {
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
