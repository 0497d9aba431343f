package dev.cas.plugins.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import dev.cas.testkit.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The mission's promise with the three sample plugins: installed on host A (embedded PostgreSQL),
 * used, exported with data, imported into host B (a database on the machine's PostgreSQL server),
 * where the same requests get the same answers. The LDAP bind password is a secret: it does not
 * travel and must be entered again on B.
 */
class RoundTripIT {

  private static final String BASE_DN = "dc=example,dc=com";
  private static final String BIND_DN = "cn=cas-search,ou=services," + BASE_DN;
  private static final String BIND_PASSWORD = "svc-Bind-4f9a21c7";
  private static final String EXTERNAL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  @TempDir static Path tmp;
  static InMemoryDirectoryServer ldap;
  static String externalDb;

  @BeforeAll
  static void directory() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
    // Port 389: the hosts run with the sandbox agent, and ldap-auth's manifest allows LDAP on 389
    // and 636 only (the tests run as root).
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", 389));
    config.addAdditionalBindCredentials(BIND_DN, BIND_PASSWORD);
    ldap = new InMemoryDirectoryServer(config);
    ldap.add("dn: " + BASE_DN, "objectClass: top", "objectClass: domain", "dc: example");
    ldap.add("dn: ou=people," + BASE_DN, "objectClass: organizationalUnit", "ou: people");
    ldap.add(
        "dn: uid=grace,ou=people," + BASE_DN,
        "objectClass: inetOrgPerson",
        "uid: grace",
        "cn: Grace Hopper",
        "sn: Hopper",
        "mail: grace@example.com",
        "userPassword: cobol-1959");
    ldap.startListening();
    externalDb = "cas_roundtrip_" + ProcessHandle.current().pid();
    sql(EXTERNAL, "DROP DATABASE IF EXISTS " + externalDb + " WITH (FORCE)");
    sql(EXTERNAL, "CREATE DATABASE " + externalDb);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    ldap.shutDown(true);
    sql(EXTERNAL, "DROP DATABASE IF EXISTS " + externalDb + " WITH (FORCE)");
    // Plugin roles are cluster-wide; the host names them cas_<8 hex of sha256(database)>_<schema>.
    String tag =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(externalDb.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .substring(0, 8);
    sql(
        EXTERNAL,
        "DO $$ DECLARE r record; BEGIN FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'cas_"
            + tag
            + "_%' LOOP EXECUTE 'DROP ROLE ' || quote_ident(r.rolname); END LOOP; END $$");
  }

  @Test
  void threePluginsMoveWithTheirDataAndAnswerTheSame() throws Exception {
    String ldapUrl = "ldap://localhost:" + ldap.getListenPort();
    try (TestHost a = TestHost.start(tmp.resolve("a"))) {
      for (String id : new String[] {"text-block", "ldap-auth", "rag-retrieval"}) {
        a.install(Path.of(System.getProperty(id + ".zip")));
      }
      String ada = a.createUser("ada", "user");
      String admin = a.adminToken();
      // ldap-auth ships a placeholder directory (ldap://localhost:389); the operator points it at
      // theirs.
      assertThat(
              a.post(
                      "/api/plugins/text-block/blocks",
                      ada,
                      "{\"title\": \"Today\", \"content\": \"Ship the round trip\"}")
                  .status())
          .isEqualTo(201);
      assertThat(
              a.post(
                      "/api/plugins/text-block/blocks",
                      ada,
                      "{\"title\": \"Later\", \"content\": \"Benchmarks\", \"position\": 2}")
                  .status())
          .isEqualTo(201);
      assertThat(a.put("/api/plugins/ldap-auth/config", admin, ldapConfig(ldapUrl, true)).status())
          .isEqualTo(200);
      assertThat(a.post("/api/plugins/ldap-auth/activate", admin, null).status()).isEqualTo(200);
      for (String id : new String[] {"text-block", "ldap-auth", "rag-retrieval"}) {
        assertThat(a.get("/api/plugins/" + id, admin).data().get("state").asString())
            .as(id)
            .isEqualTo("active");
      }
      assertThat(a.post("/api/plugins/ldap-auth/test", admin, "{}").status()).isEqualTo(200);
      String collection =
          a.post("/api/plugins/rag-retrieval/collections", ada, "{\"name\": \"history\"}")
              .json()
              .get("id")
              .asString();
      a.post(
          "/api/plugins/rag-retrieval/collections/" + collection + "/documents",
          ada,
          "{\"title\": \"Compilers\", \"content\": \"Grace Hopper wrote the first compiler, A-0, in 1952.\", \"format\": \"text\"}");
      a.post(
          "/api/plugins/rag-retrieval/collections/" + collection + "/documents",
          ada,
          "{\"title\": \"Engines\", \"content\": \"Babbage designed the analytical engine in the 1830s.\", \"format\": \"text\"}");

      JsonNode blocksOnA = a.get("/api/plugins/text-block/blocks", ada).data();
      String searchOnA =
          a.post(
                  "/api/plugins/rag-retrieval/collections/" + collection + "/search",
                  ada,
                  "{\"query\": \"first compiler\"}")
              .text();
      JsonNode usersOnA = a.get("/api/plugins/ldap-auth/users?query=grace", admin).data();
      assertThat(searchOnA).contains("Compilers");
      assertThat(usersOnA.toString()).contains("grace@example.com");

      Path exports = Files.createDirectories(tmp.resolve("exports"));
      for (String id : new String[] {"text-block", "ldap-auth", "rag-retrieval"}) {
        TestHost.Response export = a.get("/api/plugins/" + id + "/export?includeData=true", admin);
        assertThat(export.status()).as(export.text()).isEqualTo(200);
        assertThat(export.text()).doesNotContain(BIND_PASSWORD);
        Files.write(exports.resolve(id + ".zip"), export.body());
      }

      String jdbcB = "jdbc:postgresql://127.0.0.1:5432/" + externalDb + "?user=postgres";
      try (TestHost b = TestHost.start(tmp.resolve("b"), jdbcB, Map.of())) {
        for (String id : new String[] {"text-block", "ldap-auth", "rag-retrieval"}) {
          TestHost.Response r = b.importPackage(exports.resolve(id + ".zip"), "");
          assertThat(r.status()).as(id + ": " + r.text()).isEqualTo(201);
        }
        String adaOnB = b.createUser("ada", "user");
        String adminB = b.adminToken();
        assertThat(b.get("/api/plugins/text-block/blocks", adaOnB).data()).isEqualTo(blocksOnA);
        assertThat(
                b.post(
                        "/api/plugins/rag-retrieval/collections/" + collection + "/search",
                        adaOnB,
                        "{\"query\": \"first compiler\"}")
                    .text())
            .isEqualTo(searchOnA);

        JsonNode ldapConfig = b.get("/api/plugins/ldap-auth/config", adminB).data();
        assertThat(ldapConfig.get("values").get("serverUrl").asString()).isEqualTo(ldapUrl);
        assertThat(ldapConfig.get("secretsSet")).isEmpty();
        TestHost.Response withoutSecret = b.post("/api/plugins/ldap-auth/test", adminB, "{}");
        assertThat(withoutSecret.status()).isEqualTo(409);
        assertThat(withoutSecret.json().get("message").asString())
            .contains("bindPassword is not set");
        assertThat(
                b.put(
                        "/api/plugins/ldap-auth/config",
                        adminB,
                        "{\"bindPassword\": \"" + BIND_PASSWORD + "\"}")
                    .status())
            .isEqualTo(200);
        assertThat(b.post("/api/plugins/ldap-auth/test", adminB, "{}").status()).isEqualTo(200);
        assertThat(b.get("/api/plugins/ldap-auth/users?query=grace", adminB).data())
            .isEqualTo(usersOnA);
        assertThat(b.login("grace", "cobol-1959")).startsWith("cas_");
      }
    }
  }

  @Test
  void legacyJsonOfADocsAndConfigPluginImports() throws Exception {
    try (TestHost host = TestHost.start(tmp.resolve("legacy"))) {
      String legacy =
          """
          {"plugin": {"id": "faq", "name": "FAQ", "version": "2.0.0", "description": "Frequently asked questions",
                      "status": "enabled", "configSchema": {"title": {"type": "string", "default": "FAQ"}}},
           "documentation": [{"documentType": "user_guide", "title": "Using the FAQ", "content": "# FAQ\\n\\nAsk away.",
                              "contentFormat": "markdown", "language": "en", "version": "2.0.0"}],
           "data": {"config": {"title": "Questions"}}}
          """;
      TestHost.Response r = host.post("/api/plugins/import", host.adminToken(), legacy);
      assertThat(r.status()).as(r.text()).isEqualTo(201);
      assertThat(
              host.get("/api/plugins/faq/docs", host.adminToken())
                  .data()
                  .get(0)
                  .get("title")
                  .asString())
          .isEqualTo("Using the FAQ");
      assertThat(
              host.get("/api/plugins/faq/config", host.adminToken())
                  .data()
                  .get("values")
                  .get("title")
                  .asString())
          .isEqualTo("Questions");
      assertThat(host.get("/api/plugins/faq", host.adminToken()).data().get("state").asString())
          .isEqualTo("active");
    }
  }

  private static String ldapConfig(String url, boolean withPassword) {
    return "{\"serverUrl\": \""
        + url
        + "\", \"baseDn\": \"ou=people,"
        + BASE_DN
        + "\", \"bindDn\": \""
        + BIND_DN
        + "\""
        + (withPassword ? ", \"bindPassword\": \"" + BIND_PASSWORD + "\"" : "")
        + "}";
  }

  private static void sql(String url, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
