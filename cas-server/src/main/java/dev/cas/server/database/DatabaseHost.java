package dev.cas.server.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cas.server.security.Passwords;
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
public final class DatabaseHost implements AutoCloseable {

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

  /**
   * Starts an embedded PostgreSQL with its data in {@code dataDir} (kept between starts). Threat:
   * anything on the machine (a plugin's code through a host library, another local user) logging in
   * as the superuser over loopback, which the embedded server's {@code initdb} trusts: the host
   * gives {@code postgres} a random password, kept in a mode-600 file beside the data folder, and
   * makes every connection prove its password with SCRAM.
   */
  public static DatabaseHost embedded(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      String password = superuserPassword(dataDir.resolveSibling("postgres.password"));
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setServerConfig("max_connections", "300")
              .setServerConfig("password_encryption", "scram-sha-256")
              .setConnectConfig("password", password)
              .start();
      String url = pg.getJdbcUrl("postgres", "postgres");
      requirePasswords(url, password, dataDir.resolve("pg_hba.conf"));
      DatabaseHost host = new DatabaseHost(pg, url, "postgres", password);
      host.migrate();
      return host;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the embedded PostgreSQL in [" + dataDir + "]", e);
    }
  }

  /** The superuser's password, made (random, mode 600) on the first start. */
  private static String superuserPassword(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    String password = Passwords.randomToken(32);
    Files.createFile(
        file,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, password);
    return password;
  }

  /**
   * Sets the superuser's password (a no-op after the first start) and replaces pg_hba.conf with
   * SCRAM for every connection, then checks PostgreSQL loaded exactly that.
   */
  private static void requirePasswords(String url, String password, Path hba) throws IOException {
    Files.writeString(
        hba,
        """
        # Written by the CAS host at every start: every connection, loopback too, proves its
        # password with SCRAM (initdb's default trusts every local connection).
        local all all scram-sha-256
        host  all all 127.0.0.1/32 scram-sha-256
        host  all all ::1/128 scram-sha-256
        """);
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", "postgres");
    props.setProperty("password", password);
    String clean = url.replaceAll("[?&](user|password)=[^&]*", "");
    try (Connection c = java.sql.DriverManager.getConnection(clean, props);
        var st = c.createStatement()) {
      st.execute("ALTER ROLE postgres PASSWORD '" + password.replace("'", "''") + "'");
      st.execute("SELECT pg_reload_conf()");
      try (var rs =
          st.executeQuery(
              "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"
                  + " OR error IS NOT NULL")) {
        rs.next();
        if (rs.getLong(1) != 0) {
          throw new IllegalStateException(
              "the embedded PostgreSQL did not load [" + hba + "] as written");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot require passwords on the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Uses an external PostgreSQL; the user must be allowed to create roles and schemas. */
  public static DatabaseHost external(String jdbcUrl, String user, String password) {
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
  public DataSource admin() {
    return admin;
  }

  Connection connection() throws SQLException {
    return admin.getConnection();
  }

  public String jdbcUrl() {
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
  /**
   * A plugin role's pool: at most 4 connections, each running {@code initSql} first; {@code lazy}:
   * no connection is opened until the first use.
   */
  HikariDataSource rolePool(String role, String password, String initSql, boolean lazy) {
    HikariConfig config = config("cas-plugin-" + role, jdbcUrl, role, password, 4);
    config.setConnectionInitSql(initSql);
    if (lazy) {
      config.setInitializationFailTimeout(-1);
    }
    return new HikariDataSource(config);
  }

  private static HikariDataSource pool(
      String name, String url, String user, String password, int size) {
    return new HikariDataSource(config(name, url, user, password, size));
  }

  private static HikariConfig config(
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
    return config;
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
