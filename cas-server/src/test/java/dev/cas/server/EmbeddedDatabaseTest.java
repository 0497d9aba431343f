package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.server.database.DatabaseHost;
import dev.cas.server.database.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's embedded PostgreSQL (the zero-set-up default) asks every connection for its password,
 * loopback too: its superuser has a random password in a mode-600 file beside the data folder, so a
 * plugin reaching a JDBC driver cannot log in as {@code postgres}. It keeps working across
 * restarts.
 */
class EmbeddedDatabaseTest {

  @TempDir Path tmp;

  @Test
  void superuserNeedsItsPasswordEvenOnLoopback() throws Exception {
    Path data = tmp.resolve("postgres");
    String url;
    try (DatabaseHost db = DatabaseHost.embedded(data)) {
      url = db.jdbcUrl();
      assertThat(Sql.query(db.admin(), "SELECT current_user AS u").getFirst().get("u"))
          .isEqualTo("postgres");
      assertRefusedWithout(url, "postgres", null);
      assertRefusedWithout(url, "postgres", "guess");
    }
    Path passwordFile = tmp.resolve("postgres.password");
    assertThat(Files.getPosixFilePermissions(passwordFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // The next start reads the same password; the rules are still enforced.
    try (DatabaseHost again = DatabaseHost.embedded(data)) {
      assertThat(Sql.query(again.admin(), "SELECT 1 AS one").getFirst().get("one")).isEqualTo(1);
      assertRefusedWithout(again.jdbcUrl(), "postgres", null);
    }
  }

  private static void assertRefusedWithout(String url, String user, String password) {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    assertThatThrownBy(() -> DriverManager.getConnection(url, props).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(
            password == null
                ? "The server requested SCRAM-based authentication, but no password was provided."
                : "password authentication failed for user \"postgres\"");
  }
}
