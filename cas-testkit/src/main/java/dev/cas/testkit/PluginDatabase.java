package dev.cas.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugin's schema on the test database, to set up rows and look at what the plugin stored. It
 * connects as the database's superuser with the schema as its search path, so it sees every row
 * (row-level security does not apply to it).
 */
public final class PluginDatabase {

  private final String jdbcUrl;
  private final String schema;

  PluginDatabase(String jdbcUrl, String schema) {
    this.jdbcUrl = jdbcUrl;
    this.schema = schema;
  }

  /**
   * The plugin's schema name.
   *
   * @return e.g. {@code plugin_notes}
   */
  public String schema() {
    return schema;
  }

  /**
   * A new connection whose search path is the plugin's schema; the caller closes it.
   *
   * @return a connection as the database's superuser, not as the plugin's role
   */
  public Connection connection() {
    try {
      Connection c = DriverManager.getConnection(jdbcUrl);
      try (var st = c.createStatement()) {
        st.execute("SET search_path TO \"" + schema.replace("\"", "\"\"") + "\"");
      }
      return c;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot connect to the plugin's schema [" + schema + "]: " + e.getMessage(), e);
    }
  }

  /**
   * The rows of a query, each column by its label.
   *
   * @param sql one statement with {@code ?} placeholders; unqualified names resolve to the plugin's
   *     schema
   * @param params the values bound to the placeholders, in order
   * @return the rows, in the order the statement gives
   */
  public List<Map<String, Object>> query(String sql, Object... params) {
    try (Connection c = connection();
        PreparedStatement st = prepare(c, sql, params);
        ResultSet rs = st.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("query [" + sql + "] failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs an INSERT, UPDATE, DELETE or DDL statement.
   *
   * @param sql one statement with {@code ?} placeholders
   * @param params the values bound to the placeholders, in order
   * @return the number of rows changed
   */
  public int update(String sql, Object... params) {
    try (Connection c = connection();
        PreparedStatement st = prepare(c, sql, params)) {
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("statement [" + sql + "] failed: " + e.getMessage(), e);
    }
  }

  /**
   * Whether a table of that name exists in the plugin's schema.
   *
   * @param table the table's name, unqualified
   * @return whether it exists
   */
  public boolean tableExists(String table) {
    return !query(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            schema,
            table)
        .isEmpty();
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement st = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      st.setObject(i + 1, params[i]);
    }
    return st;
  }
}
