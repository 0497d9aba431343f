package dev.cas.plugin.api;

import java.util.List;
import java.util.Map;

/**
 * SQL in the plugin's own schema, run by the host as the plugin's own database role, so the
 * database itself refuses access to other plugins' tables. Needs {@code database.read} for queries
 * and {@code database.write} for updates. Statements are PostgreSQL; parameters are bound ({@code
 * ?}), never concatenated.
 *
 * <p>The role's {@code search_path} is the plugin's schema ({@code database.schema} in the
 * manifest, by default {@code plugin_<id with . and - as _>}), so unqualified table names, in
 * statements and in migrations alike, resolve to the plugin's own tables.
 */
public interface Database {

  /**
   * Rows as column name → value maps. Runs in a read-only transaction, so a statement that writes
   * ({@code INSERT … RETURNING}, a CTE with {@code DELETE}) is refused: use {@link #inTransaction}
   * for those.
   *
   * @param sql one PostgreSQL statement with {@code ?} placeholders
   * @param params the values bound to the placeholders, in order
   * @return the rows, each a map from column name to value, in the order the statement gives
   */
  List<Map<String, Object>> query(String sql, Object... params);

  /**
   * Runs an {@code INSERT}, {@code UPDATE}, {@code DELETE} or DDL statement.
   *
   * @param sql one PostgreSQL statement with {@code ?} placeholders
   * @param params the values bound to the placeholders, in order
   * @return the number of rows changed
   */
  int update(String sql, Object... params);

  /**
   * Runs the work in one transaction: all of it commits or none of it.
   *
   * @param <T> what the work returns
   * @param work the statements to run, given the transaction's view of the database
   * @return what the work returned, once the transaction committed
   */
  <T> T inTransaction(Work<T> work);

  /**
   * The same database scoped to one user: on tables with a {@code user_id} column, row-level
   * security shows and changes only that user's rows.
   *
   * @param userId the {@link UserInfo#id()} whose rows the view sees
   * @return a view of the database limited to that user's rows
   */
  Database forUser(String userId);

  /**
   * Work inside a transaction, given the transaction's view of the database.
   *
   * @param <T> what the work returns
   */
  @FunctionalInterface
  interface Work<T> {
    /**
     * Runs the statements of the transaction.
     *
     * @param tx the database inside the transaction
     * @return a result for the caller of {@link Database#inTransaction}
     * @throws Exception to roll the transaction back
     */
    T run(Database tx) throws Exception;
  }
}
