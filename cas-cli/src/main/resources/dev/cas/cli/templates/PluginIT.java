package {{package}};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cas.testkit.CasExtension;
import dev.cas.testkit.PluginClient;
import dev.cas.testkit.PluginConfig;
import dev.cas.testkit.PluginDatabase;
import dev.cas.testkit.SignedIn;
import dev.cas.testkit.TestHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {{name}} installed from target/ in a real host (a fresh one for this class, on the embedded
 * PostgreSQL): the routes as a signed-in user, the configuration, the table.
 */
@ExtendWith(CasExtension.class)
class {{className}}IT {

  @Test
  void helloGreetsTheSignedInUser(@SignedIn(value = "ada", role = "user") PluginClient ada) {
    TestHost.Response r = ada.get("/hello");
    assertEquals(200, r.status(), r.text());
    assertEquals("Hello, ada", r.json().get("message").asString());
  }

  @Test
  void greetingComesFromTheConfiguration(PluginConfig config, PluginClient admin) {
    config.set("{\"greeting\": \"Welcome\"}");
    try {
      assertEquals("Welcome, admin", admin.get("/hello").json().get("message").asString());
    } finally {
      config.set("{\"greeting\": null}");
    }
  }

  @Test
  void itemsAreStoredPerUser(
      @SignedIn(value = "bo", role = "user") PluginClient bo,
      @SignedIn(value = "cy", role = "user") PluginClient cy,
      PluginDatabase db) {
    TestHost.Response created = bo.post("/items", "{\"title\": \"first\"}");
    assertEquals(201, created.status(), created.text());
    assertEquals("first", bo.get("/items").json().get(0).get("title").asString());
    assertEquals(0, cy.get("/items").json().size());
    assertTrue(db.tableExists("items"));
    assertEquals(1, db.query("SELECT * FROM items WHERE user_id = ?", "bo").size());
  }

  @Test
  void aBodyWithoutTitleIsRefused(PluginClient admin) {
    assertEquals(400, admin.post("/items", "{}").status());
  }
}
