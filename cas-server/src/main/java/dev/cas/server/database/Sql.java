package dev.cas.server.database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Parameterised statements on a connection or pool, rows as maps. Host code only. */
public final class Sql {

  private Sql() {}

  /** Work on one connection inside one transaction. */
  @FunctionalInterface
  public interface Tx<T> {
    T run(Connection c) throws SQLException;
  }

  public static <T> T inTransaction(DataSource ds, Tx<T> work) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  public static List<Map<String, Object>> query(DataSource ds, String sql, Object... params) {
    try (Connection c = ds.getConnection()) {
      return query(c, sql, params);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  public static Optional<Map<String, Object>> one(DataSource ds, String sql, Object... params) {
    List<Map<String, Object>> rows = query(ds, sql, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
  }

  public static int update(DataSource ds, String sql, Object... params) {
    try (Connection c = ds.getConnection()) {
      return update(c, sql, params);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  public static List<Map<String, Object>> query(Connection c, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object value = rs.getObject(i);
          if (value instanceof Array a) {
            value = List.of((Object[]) a.getArray());
          } else if (value instanceof org.postgresql.util.PGobject pg) {
            value = pg.getValue();
          }
          row.put(md.getColumnLabel(i), value);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof String[] strings) {
        ps.setArray(i + 1, c.createArrayOf("text", strings));
      } else {
        ps.setObject(i + 1, p);
      }
    }
    return ps;
  }

  /** A database failure, unchecked, with the SQL state in the message. */
  public static final class DatabaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseException(SQLException e) {
      super("database error " + e.getSQLState() + ": " + e.getMessage(), e);
    }

    String sqlState() {
      return ((SQLException) getCause()).getSQLState();
    }
  }
}
