package dev.cas.plugin.api;

import java.util.List;
import java.util.Map;

/**
 * SQL in the plugin's own schema, run by the host as the plugin's own database role, so the
 * database itself refuses access to other plugins' tables. Needs {@code database.read} for queries
 * and {@code database.write} for updates. Statements are PostgreSQL; parameters are bound ({@code
 * ?}), never concatenated.
 */
public interface Database {

  /**
   * Rows as column name → value maps. Runs in a read-only transaction, so a statement that writes
   * ({@code INSERT … RETURNING}, a CTE with {@code DELETE}) is refused: use {@link #inTransaction}
   * for those.
   */
  List<Map<String, Object>> query(String sql, Object... params);

  /**
   * @return the number of rows changed
   */
  int update(String sql, Object... params);

  /** Runs the work in one transaction: all of it commits or none of it. */
  <T> T inTransaction(Work<T> work);

  /**
   * The same database scoped to one user: on tables with a {@code user_id} column, row-level
   * security shows and changes only that user's rows.
   */
  Database forUser(String userId);

  /** Work inside a transaction, given the transaction's view of the database. */
  @FunctionalInterface
  interface Work<T> {
    T run(Database tx) throws Exception;
  }
}
