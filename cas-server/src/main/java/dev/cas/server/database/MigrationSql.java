package dev.cas.server.database;

import dev.cas.server.HostException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * What a migration file may contain. All migrations of one operation run in one transaction, so a
 * statement that ends or starts a transaction ({@code COMMIT}, {@code BEGIN}, …) would commit half
 * of them; such a file is refused before it runs. The statements are split by PostgreSQL's own JDBC
 * driver, which knows quotes, dollar quotes and comments.
 */
public final class MigrationSql {

  private static final Pattern LEADING_COMMENTS =
      Pattern.compile("\\A(?:\\s+|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/)*", Pattern.DOTALL);

  /** First words that control transactions; {@code ROLLBACK TO SAVEPOINT} stays allowed. */
  private static final Pattern TRANSACTION_CONTROL =
      Pattern.compile(
          "\\A(?:BEGIN|START\\s+TRANSACTION|COMMIT|END|ABORT|ROLLBACK(?!\\s+TO\\b)|PREPARE\\s+TRANSACTION)\\b",
          Pattern.CASE_INSENSITIVE);

  private MigrationSql() {}

  /**
   * Refuses a migration with a transaction-control statement.
   *
   * @throws HostException {@code MIGRATION_FAILED} naming the file and the statement
   */
  public static void requireNoTransactionControl(String pluginId, String file, String sql) {
    List<NativeQuery> statements;
    try {
      statements = Parser.parseJdbcSql(sql, true, false, true, false, false);
    } catch (SQLException e) {
      throw new HostException(
          HostException.Reason.MIGRATION_FAILED,
          "migration [" + file + "] of plugin [" + pluginId + "] cannot be read: " + e.getMessage(),
          e);
    }
    for (NativeQuery q : statements) {
      String text = LEADING_COMMENTS.matcher(q.nativeSql).replaceFirst("");
      if (TRANSACTION_CONTROL.matcher(text).find()) {
        String first = text.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        throw new HostException(
            HostException.Reason.MIGRATION_FAILED,
            "migration ["
                + file
                + "] of plugin ["
                + pluginId
                + "] controls transactions ("
                + first
                + "): the migrations of an install or upgrade run in one transaction, so a file may"
                + " not begin, commit or roll one back");
      }
    }
  }
}
