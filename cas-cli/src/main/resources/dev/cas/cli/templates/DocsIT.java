package {{package}};

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cas.testkit.CasExtension;
import dev.cas.testkit.PluginClient;
import dev.cas.testkit.SignedIn;
import dev.cas.testkit.TestHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {{name}} installed from target/ in a real host: its documentation is served. */
@ExtendWith(CasExtension.class)
class {{className}}IT {

  @Test
  void docsAreServed(@SignedIn(value = "ada", role = "user") PluginClient ada) {
    TestHost.Response r = ada.get("/api/plugins/{{id}}/docs");
    assertEquals(200, r.status(), r.text());
    assertEquals("readme", r.data().get(0).get("type").asString(), r.text());
  }
}
