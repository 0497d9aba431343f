package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host services are capabilities: a plugin gets what its manifest declares and nothing more. This
 * one declares reading its tables and storage, routes and subscribing; every write, publish, user
 * lookup and cross-plugin call is refused with a message naming the plugin and the permission, and
 * a write hidden inside a query is refused by PostgreSQL (the query runs read-only).
 */
class CapabilitiesTest {

  static final String SOURCE =
      """
      package test.limited;
      import dev.cas.plugin.api.*;
      import java.util.Map;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          Database db = c.service(Database.class);
          c.routes().register("GET", "/count", r -> attempt(() ->
              String.valueOf(db.query("SELECT count(*) AS n FROM items").get(0).get("n"))));
          c.routes().register("GET", "/update", r -> attempt(() ->
              String.valueOf(db.update("INSERT INTO items(body) VALUES ('x')"))));
          c.routes().register("GET", "/hidden-write", r -> attempt(() ->
              String.valueOf(db.query("INSERT INTO items(body) VALUES ('x') RETURNING id"))));
          c.routes().register("GET", "/transaction", r -> attempt(() -> {
            Integer deleted = db.inTransaction(tx -> tx.update("DELETE FROM items"));
            return String.valueOf(deleted);
          }));
          c.routes().register("GET", "/storage-put", r -> attempt(() -> {
            c.storage().put("k", "v");
            return "stored";
          }));
          c.routes().register("GET", "/publish", r -> attempt(() -> {
            c.events().publish("changed", Map.of());
            return "published";
          }));
          c.routes().register("GET", "/users", r -> attempt(() ->
              String.valueOf(c.service(Users.class).list())));
          c.routes().register("GET", "/call", r -> attempt(() ->
              String.valueOf(c.pluginService("notes", Runnable.class))));
        }
        interface Attempt { String run() throws Exception; }
        static HttpRoutes.Response attempt(Attempt a) {
          try {
            return HttpRoutes.Response.text(200, a.run());
          } catch (Exception e) {
            return HttpRoutes.Response.text(200, "refused: " + e.getMessage());
          }
        }
      }
      """;

  @TempDir static Path tmp;
  static TestHost host;

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    TestPlugins.Spec spec =
        TestPlugins.plugin("limited")
            .version("1.0.0")
            .main("test.limited.Main", SOURCE)
            .permissions("database.read", "storage.read", "events.subscribe", "http.routes")
            .tables("items")
            .migration(
                "001_items.sql",
                "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, body TEXT);",
                "DROP TABLE items;");
    TestHost.Response imported =
        host.importZip(new TestPlugins(tmp.resolve("build")).buildZip(spec), "");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  private static String call(String route) {
    TestHost.Response r = host.get("/api/plugins/limited/" + route, host.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.text();
  }

  private static String undeclared(String permission, String action) {
    return "refused: plugin [limited] may not "
        + action
        + ": permission ["
        + permission
        + "] is not declared in its plugin.json";
  }

  @Test
  void withoutDatabaseWriteNoStatementChangesItsTables() {
    assertThat(call("update")).isEqualTo(undeclared("database.write", "change the database"));
    assertThat(call("transaction"))
        .isEqualTo(undeclared("database.write", "open a write transaction"));
    assertThat(call("hidden-write"))
        .startsWith("refused: ")
        .contains("cannot execute INSERT in a read-only transaction");
    assertThat(call("count")).isEqualTo("0");
  }

  @Test
  void withoutTheirPermissionsStoragePublishingUsersAndOtherPluginsAreRefused() {
    assertThat(call("storage-put")).isEqualTo(undeclared("storage.write", "write storage"));
    assertThat(call("publish")).isEqualTo(undeclared("events.publish", "publish events"));
    assertThat(call("users")).isEqualTo(undeclared("users.read", "read users"));
    assertThat(call("call")).isEqualTo(undeclared("plugins.call", "call plugin [notes]"));
  }
}
