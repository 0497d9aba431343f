package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.database.Sql;
import dev.cas.server.http.HttpApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A secret configuration value reaches its plugin and nothing else: not the config API, not an
 * export, not the audit trail, not the log, and not the database in plain text. The admin password
 * and tokens likewise appear only in the answers that hand them out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsTest {

  private static final String SECRET = "sk-live-7f3a9c2e1b";
  private static final String WRONG_PASSWORD = "guessed-Password-991";

  @TempDir static Path tmp;
  static LogCapture log;
  static TestHost host;
  static String operator;

  /** Every token handed out in this class, to look for elsewhere. */
  static final List<String> tokens = new ArrayList<>();

  /** Every answer other than login's and token creation's. */
  static final List<String> answers = new ArrayList<>();

  @BeforeAll
  static void start() {
    log = LogCapture.start();
    host = TestHost.embedded(tmp.resolve("host"));
    tokens.add(host.adminToken);
    TestHost.Response imported =
        host.importZip(
            new TestPlugins(tmp.resolve("build")).buildZip(NotesPlugin.spec("1.0.0")), "");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    TestHost.Response spy =
        host.importZip(new TestPlugins(tmp.resolve("build-spy")).buildZip(SpyPlugin.spec()), "");
    assertThat(spy.status()).as(spy.text()).isEqualTo(201);
    operator = host.userToken("otto", "operator");
    tokens.add(operator);
    TestHost.Response configured =
        host.put(
            "/api/plugins/notes/config",
            operator,
            "{\"greeting\": \"hello\", \"apiKey\": \"" + SECRET + "\"}");
    assertThat(configured.status()).as(configured.text()).isEqualTo(200);
    answers.add(configured.text());
  }

  @AfterAll
  static void stop() {
    try {
      host.close();
    } finally {
      log.close();
    }
  }

  @Test
  void thePluginGetsTheSecret() {
    assertThat(host.get("/api/plugins/notes/key-length", operator).text())
        .isEqualTo(String.valueOf(SECRET.length()));
  }

  @Test
  void configAnswersNameTheSecretButNeverShowIt() {
    TestHost.Response config = host.get("/api/plugins/notes/config", operator);
    answers.add(config.text());
    JsonNode data = config.data();
    assertThat(HttpApi.JSON.convertValue(data.get("values"), Map.class))
        .isEqualTo(Map.of("greeting", "hello"));
    assertThat(data.get("secretsSet").toString()).isEqualTo("[\"apiKey\"]");
    assertThat(config.text()).doesNotContain(SECRET);
    assertThat(answers).noneMatch(a -> a.contains(SECRET));
  }

  /**
   * Another plugin asks for the secret through each route the API gives it: its own config and
   * storage services (scoped to itself), the host's table of secrets and the other plugin's tables
   * (PostgreSQL refuses its role), and the environment. It gets nothing. (Reading the host's files
   * is the sandbox agent's to refuse: {@code SandboxEnforcedIT}.)
   */
  @Test
  void anotherPluginGetsNoneOfTheSecret() {
    List<String> got = new ArrayList<>();
    for (String route : List.of("/own-config", "/own-storage", "/env")) {
      TestHost.Response r = host.get("/api/plugins/spy" + route, operator);
      assertThat(r.status()).as(route).isEqualTo(200);
      got.add(r.text());
    }
    assertThat(got.get(0)).isEqualTo("{} Optional.empty");
    assertThat(got.get(1)).isEqualTo("[] Optional.empty Optional.empty");
    assertThat(spySql("SELECT key, value, enc_value FROM cas.plugin_config"))
        .isEqualTo(
            "refused: database error 42501: ERROR: permission denied for schema cas\n  Position: 35");
    got.forEach(text -> assertThat(text).doesNotContain(SECRET).doesNotContain(encryptedValue()));
  }

  /**
   * A plugin's tables belong to its own schema and role: another plugin's database service, which
   * runs as that plugin's role, is refused by PostgreSQL itself, and the host goes on serving both.
   */
  @Test
  void anotherPluginsTablesAreRefusedByPostgreSql() {
    assertThat(spySql("SELECT body FROM plugin_notes.notes"))
        .isEqualTo(
            "refused: database error 42501: ERROR: permission denied for schema plugin_notes\n"
                + "  Position: 18");
    assertThat(spySql("SELECT count(*) AS n FROM loot")).isEqualTo("[{n=0}]");
    assertThat(host.get("/api/health").status()).isEqualTo(200);
    assertThat(host.get("/api/plugins/notes/greeting", operator).text()).isEqualTo("hello");
  }

  private static String spySql(String sql) {
    TestHost.Response r =
        host.get(
            "/api/plugins/spy/sql?q=" + java.net.URLEncoder.encode(sql, StandardCharsets.UTF_8),
            operator);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.text();
  }

  /** A secret of the wrong type is refused without echoing it. */
  @Test
  void anInvalidSecretIsNotEchoedInTheRefusal() {
    TestHost.Response refused =
        host.put("/api/plugins/notes/config", operator, "{\"apiKey\": 987654321}");
    answers.add(refused.text());
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo("CONFIG_INVALID");
    assertThat(refused.text()).doesNotContain("987654321");
    assertThat(log.text()).doesNotContain("987654321");
  }

  @Test
  void noEntryOfAnExportHoldsTheSecretOrItsCiphertext() {
    String ciphertext = encryptedValue();
    for (String query : List.of("", "?includeData=true", "?reproducible=true")) {
      TestHost.Response export = host.get("/api/plugins/notes/export" + query);
      assertThat(export.status()).as(export.text()).isEqualTo(200);
      Map<String, byte[]> entries = TestPackages.entries(export.body());
      assertThat(entries).containsKey("data/export.json");
      entries.forEach(
          (name, bytes) -> {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text)
                .as(name)
                .doesNotContain(SECRET)
                .doesNotContain(ciphertext.substring(3));
          });
      assertThat(new String(entries.get("data/export.json"), StandardCharsets.UTF_8))
          .contains("\"greeting\" : \"hello\"")
          .doesNotContain("apiKey");
    }
  }

  @Test
  void theAuditTrailHoldsNoSecretPasswordOrToken() {
    assertThat(
            host.post(
                    "/api/auth/login",
                    null,
                    "{\"username\": \"admin\", \"password\": \"" + WRONG_PASSWORD + "\"}")
                .status())
        .isEqualTo(401);
    TestHost.Response audit = host.get("/api/audit?limit=1000");
    answers.add(audit.text());
    assertThat(audit.text())
        .contains("config.update", "\"denied\"")
        .doesNotContain(SECRET)
        .doesNotContain(TestHost.ADMIN_PASSWORD)
        .doesNotContain(WRONG_PASSWORD);
    tokens.forEach(t -> assertThat(audit.text()).doesNotContain(t));
  }

  @Test
  void theSecretIsEncryptedAtRest() {
    var rows =
        Sql.query(
            host.server.host().db().admin(),
            "SELECT key, value::text AS value, enc_value FROM cas.plugin_config WHERE plugin_id = 'notes' ORDER BY key");
    assertThat(rows).hasSize(2);
    Map<String, Object> apiKey = rows.getFirst();
    assertThat(apiKey.get("key")).isEqualTo("apiKey");
    assertThat(apiKey.get("value")).isNull();
    assertThat((String) apiKey.get("enc_value"))
        .startsWith("v1:")
        .doesNotContain(SECRET)
        .doesNotContain(
            java.util.Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
    // Nowhere in the host's tables, in any form a text search would find.
    for (String table :
        List.of(
            "plugin_config",
            "plugins",
            "audit_log",
            "users",
            "api_tokens",
            "plugin_kv",
            "plugin_docs")) {
      assertThat(
              Sql.query(
                      host.server.host().db().admin(),
                      "SELECT count(*) AS n FROM cas."
                          + table
                          + " t WHERE row_to_json(t)::text LIKE ?",
                      "%" + SECRET + "%")
                  .getFirst()
                  .get("n"))
          .as(table)
          .isEqualTo(0L);
    }
  }

  @Test
  void passwordsAndTokensAreOnlyInTheAnswersThatHandThemOut() {
    TestHost.Response newToken = host.post("/api/auth/tokens", operator, "{\"name\": \"ci\"}");
    assertThat(newToken.status()).isEqualTo(201);
    tokens.add(newToken.data().get("token").asString());
    TestHost.Response created =
        host.post(
            "/api/users",
            host.adminToken,
            "{\"username\": \"carl\", \"password\": \"carl-password-1\", \"roles\": [\"user\"]}");
    assertThat(created.status()).isEqualTo(201);
    for (String path :
        List.of("/api/users", "/api/auth/me", "/api/plugins", "/api/plugins/notes", "/api/audit")) {
      answers.add(host.get(path).text());
    }
    answers.add(created.text());
    for (String answer : answers) {
      assertThat(answer)
          .doesNotContain(TestHost.ADMIN_PASSWORD)
          .doesNotContain("carl-password-1")
          .doesNotContain("password_hash")
          .doesNotContain("pbkdf2-sha256")
          .doesNotContain("token_hash");
      tokens.forEach(t -> assertThat(answer).doesNotContain(t));
    }
  }

  /** Last: by then every call of this class has been logged, if anything logs it. */
  @Test
  @Order(Integer.MAX_VALUE)
  void theLogHoldsNoSecretPasswordOrToken() {
    host.get("/api/plugins/notes/export?includeData=true");
    host.get("/api/plugins/notes/greeting", "cas_bogus-token");
    String logged = log.text();
    assertThat(logged).contains("CAS host on http://localhost:");
    assertThat(logged)
        .doesNotContain(SECRET)
        .doesNotContain(TestHost.ADMIN_PASSWORD)
        .doesNotContain(WRONG_PASSWORD)
        .doesNotContain("carl-password-1")
        .doesNotContain("cas_bogus-token");
    tokens.forEach(t -> assertThat(logged).doesNotContain(t));
  }

  private static String encryptedValue() {
    return (String)
        Sql.one(
                host.server.host().db().admin(),
                "SELECT enc_value FROM cas.plugin_config WHERE plugin_id = 'notes' AND key = 'apiKey'")
            .orElseThrow()
            .get("enc_value");
  }
}
