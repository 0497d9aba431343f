package dev.cas.server.database;

import dev.cas.plugin.api.Database;
import dev.cas.plugin.api.Permission;
import dev.cas.plugin.api.PermissionDeniedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The {@link Database} service a plugin gets: its own role's connections (so the database enforces
 * what it may touch), {@code database.read} for queries, which run in read-only transactions, and
 * {@code database.write} for updates. Scoped to a user, every statement runs with {@code
 * cas.user_id} set, which row-level security checks.
 */
public final class PluginSql implements Database {

  private final String pluginId;
  private final DataSource pool;
  private final Set<Permission> granted;
  private final String userId;
  private final Connection tx;

  public PluginSql(String pluginId, DataSource pool, Set<Permission> granted) {
    this(pluginId, pool, granted, null, null);
  }

  private PluginSql(
      String pluginId, DataSource pool, Set<Permission> granted, String userId, Connection tx) {
    this.pluginId = pluginId;
    this.pool = pool;
    this.granted = granted;
    this.userId = userId;
    this.tx = tx;
  }

  @Override
  public List<Map<String, Object>> query(String sql, Object... params) {
    require(Permission.DATABASE_READ, "query the database");
    return run(true, c -> Sql.query(c, sql, params));
  }

  @Override
  public int update(String sql, Object... params) {
    require(Permission.DATABASE_WRITE, "change the database");
    return run(false, c -> Sql.update(c, sql, params));
  }

  @Override
  public <T> T inTransaction(Work<T> work) {
    require(Permission.DATABASE_WRITE, "open a write transaction");
    if (tx != null) {
      try {
        return work.run(this);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return Sql.inTransaction(
        pool,
        c -> {
          scope(c, false);
          try {
            return work.run(new PluginSql(pluginId, pool, granted, userId, c));
          } catch (SQLException | RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException(
                "transaction of plugin [" + pluginId + "] failed: " + e.getMessage(), e);
          }
        });
  }

  @Override
  public Database forUser(String user) {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("user id must not be blank");
    }
    return new PluginSql(pluginId, pool, granted, user, tx);
  }

  private <T> T run(boolean readOnly, Sql.Tx<T> work) {
    if (tx != null) {
      try {
        // Inside a transaction every view shares one connection: each statement sets its own user.
        setUser(tx);
        return work.run(tx);
      } catch (SQLException e) {
        throw new Sql.DatabaseException(e);
      }
    }
    return Sql.inTransaction(
        pool,
        c -> {
          scope(c, readOnly);
          return work.run(c);
        });
  }

  private void scope(Connection c, boolean readOnly) throws SQLException {
    if (readOnly) {
      Sql.update(c, "SET TRANSACTION READ ONLY");
    }
    setUser(c);
  }

  private void setUser(Connection c) throws SQLException {
    Sql.query(c, "SELECT set_config('cas.user_id', ?, true)", userId == null ? "" : userId);
  }

  private void require(Permission p, String action) {
    if (!granted.contains(p)) {
      throw new PermissionDeniedException(pluginId, p.id(), action);
    }
  }
}
