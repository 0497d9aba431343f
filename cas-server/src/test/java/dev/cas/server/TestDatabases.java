package dev.cas.server;

import dev.cas.server.security.Passwords;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Databases for tests: one embedded PostgreSQL per test JVM (started on first use, stopped at exit)
 * and the machine's external PostgreSQL on 127.0.0.1:5432; each test gets a fresh database of its
 * own, never a fresh server.
 */
final class TestDatabases {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres embedded;

  private TestDatabases() {}

  /** A fresh database on the shared embedded PostgreSQL; returns its JDBC URL. */
  static synchronized String freshEmbedded() {
    try {
      if (embedded == null) {
        embedded = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
        Runtime.getRuntime()
            .addShutdownHook(
                Thread.ofPlatform()
                    .unstarted(
                        () -> {
                          try {
                            embedded.close();
                          } catch (IOException e) {
                            throw new UncheckedIOException(e);
                          }
                        }));
      }
      String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
      exec(embedded.getJdbcUrl("postgres", "postgres"), "CREATE DATABASE " + name);
      return embedded.getJdbcUrl("postgres", name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh database on the external PostgreSQL (127.0.0.1:5432, trust auth, user postgres). */
  static String freshExternal() {
    String name = "cas_t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    exec("jdbc:postgresql://127.0.0.1:5432/test?user=postgres", "CREATE DATABASE " + name);
    return "jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres";
  }

  /** Drops a test database on the external PostgreSQL and the plugin roles made for it. */
  static void dropExternal(String url) {
    String name = url.replaceFirst("^jdbc:postgresql://[^/]*/", "").replaceFirst("\\?.*$", "");
    String admin = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    String prefix = "cas_" + Passwords.sha256(name).substring(0, 8) + "_";
    exec(
        admin,
        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE '"
            + prefix
            + "%' LOOP EXECUTE 'DROP ROLE ' || quote_ident(r.rolname); END LOOP; END $$");
  }

  static void exec(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("[" + sql + "] failed on " + url + ": " + e.getMessage(), e);
    }
  }
}
