package dev.cas.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The host's PostgreSQL: an embedded one (real binaries, data under the host's data folder, started
 * and stopped with the host) or an external one given by JDBC URL. Creates the host's tables in
 * schema {@code cas} with Flyway, and hands out connection pools for plugin roles.
 */
final class DatabaseHost implements AutoCloseable {

  static final String HOST_SCHEMA = "cas";

  private final EmbeddedPostgres embedded;
  private final String jdbcUrl;
  private final String user;
  private final HikariDataSource admin;

  private DatabaseHost(EmbeddedPostgres embedded, String jdbcUrl, String user, String password) {
    this.embedded = embedded;
    // Credentials in the URL would override every pool's own user (pgjdbc lets URL parameters win),
    // and plugin pools would log in as the host: they are moved out of the URL.
    Map<String, String> params = new LinkedHashMap<>();
    String base = splitUrl(jdbcUrl, params);
    String urlUser = params.remove("user");
    String urlPassword = params.remove("password");
    StringBuilder clean = new StringBuilder(base);
    params.forEach(
        (k, v) -> clean.append(clean.indexOf("?") < 0 ? '?' : '&').append(k).append('=').append(v));
    this.jdbcUrl = clean.toString();
    this.user = urlUser != null ? urlUser : user;
    this.admin =
        pool(
            "cas-admin", this.jdbcUrl, this.user, urlPassword != null ? urlPassword : password, 10);
  }

  private static String splitUrl(String url, Map<String, String> params) {
    int q = url.indexOf('?');
    if (q < 0) {
      return url;
    }
    for (String pair : url.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return url.substring(0, q);
  }

  /** Starts an embedded PostgreSQL with its data in {@code dataDir} (kept between starts). */
  static DatabaseHost embedded(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setServerConfig("max_connections", "300")
              .start();
      String url = pg.getJdbcUrl("postgres", "postgres");
      DatabaseHost host = new DatabaseHost(pg, url, "postgres", null);
      host.migrate();
      return host;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the embedded PostgreSQL in [" + dataDir + "]", e);
    }
  }

  /** Uses an external PostgreSQL; the user must be allowed to create roles and schemas. */
  static DatabaseHost external(String jdbcUrl, String user, String password) {
    DatabaseHost host = new DatabaseHost(null, jdbcUrl, user, password);
    host.migrate();
    return host;
  }

  private void migrate() {
    Flyway.configure()
        .dataSource(admin)
        .schemas(HOST_SCHEMA)
        .defaultSchema(HOST_SCHEMA)
        .createSchemas(true)
        .table("host_schema_history")
        .locations("classpath:db/host")
        .load()
        .migrate();
  }

  /** The pool of the host's own (administrative) connections. */
  DataSource admin() {
    return admin;
  }

  Connection connection() throws SQLException {
    return admin.getConnection();
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  /** The database's name, from the URL. */
  String databaseName() {
    String path = jdbcUrl.replaceFirst("^jdbc:postgresql://[^/]*/", "");
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  Optional<Integer> embeddedPort() {
    return embedded == null ? Optional.empty() : Optional.of(embedded.getPort());
  }

  /** A small pool that logs in as a plugin's own role. */
  HikariDataSource rolePool(String role, String password) {
    return pool("cas-plugin-" + role, jdbcUrl, role, password, 4);
  }

  private static HikariDataSource pool(
      String name, String url, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setUsername(user);
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setAutoCommit(true);
    config.setInitializationFailTimeout(10_000);
    return new HikariDataSource(config);
  }

  String adminUser() {
    return user;
  }

  @Override
  public void close() {
    admin.close();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
      }
    }
  }
}
