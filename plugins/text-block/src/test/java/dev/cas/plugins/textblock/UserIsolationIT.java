package dev.cas.plugins.textblock;

import static dev.cas.plugins.textblock.PluginHosts.BLOCKS;
import static dev.cas.plugins.textblock.PluginHosts.assertBlockNotFound;
import static dev.cas.plugins.textblock.PluginHosts.blockIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** One user never sees, reads, changes or deletes another user's blocks. */
class UserIsolationIT {

  @TempDir static Path dataDir;
  private static String jdbcUrl;
  private static TestHost host;
  private static String ada;
  private static String bob;

  @BeforeAll
  static void start() {
    jdbcUrl = TestHost.freshEmbeddedDatabase();
    host = PluginHosts.startWithPlugin(dataDir, jdbcUrl);
    ada = host.createUser("ada", "user");
    bob = host.createUser("bob", "user");
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void adaCannotSeeReadUpdateOrDeleteBobsBlocks() {
    TestHost.Response created =
        host.post(BLOCKS, bob, "{\"title\": \"Bob's\", \"content\": \"private\"}");
    JsonNode bobs = created.data();
    String id = bobs.get("id").asString();
    String adasId =
        host.post(BLOCKS, ada, "{\"title\": \"Ada's\", \"content\": \"mine\"}")
            .data()
            .get("id")
            .asString();

    assertThat(blockIds(host.get(BLOCKS, ada))).containsExactly(adasId);
    assertBlockNotFound(host.get(BLOCKS + "/" + id, ada), id);
    assertBlockNotFound(host.put(BLOCKS + "/" + id, ada, "{\"content\": \"taken over\"}"), id);
    assertBlockNotFound(host.delete(BLOCKS + "/" + id, ada), id);

    assertThat(blockIds(host.get(BLOCKS, bob))).containsExactly(id);
    assertThat(host.get(BLOCKS + "/" + id, bob).data()).isEqualTo(bobs);
  }

  /**
   * Threat: a client naming another owner in the body. The owner is the token's user only; the
   * field is refused outright rather than silently ignored.
   */
  @Test
  void ownerCannotBeChosenInTheBody() {
    TestHost.Response r =
        host.post(BLOCKS, ada, "{\"title\": \"t\", \"content\": \"c\", \"user_id\": \"bob\"}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("message").asString())
        .isEqualTo("field [user_id] is not allowed; allowed fields are [title, content, position]");
  }

  /** The isolation is PostgreSQL's, not only the plugin's WHERE clauses. */
  @Test
  void textBlocksTableIsUnderForcedRowLevelSecurity() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT c.relrowsecurity, c.relforcerowsecurity,"
                    + " (SELECT count(*) FROM pg_policies p WHERE p.schemaname = n.nspname"
                    + "  AND p.tablename = c.relname) AS policies"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'plugin_text_block' AND c.relname = 'text_blocks'")) {
      assertThat(rs.next()).as("table plugin_text_block.text_blocks exists").isTrue();
      assertThat(rs.getBoolean("relrowsecurity")).isTrue();
      assertThat(rs.getBoolean("relforcerowsecurity")).isTrue();
      assertThat(rs.getInt("policies")).isEqualTo(1);
    }
  }
}
