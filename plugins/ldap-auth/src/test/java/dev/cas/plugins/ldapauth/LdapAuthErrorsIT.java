package dev.cas.plugins.ldapauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way the directory can fail gives a clear error naming the problem, and the bind password
 * never leaves the host: not in the config API, not in an export, not in the log.
 */
class LdapAuthErrorsIT {

  private static final String API = "/api/plugins/ldap-auth";

  private static TestDirectory directory;
  private static TestHost host;
  private static String operator;

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    directory = TestDirectory.start();
    host = LdapPluginHost.start(dataDir, directory);
    operator = host.createUser("otto", "operator");
  }

  @AfterAll
  static void stop() {
    host.close();
    directory.close();
  }

  @BeforeEach
  void restoreWorkingConfig() {
    LdapPluginHost.configure(host, LdapPluginHost.goodConfig(directory));
  }

  @Test
  void unreachableServerIsNamed() throws IOException {
    String url = "ldap://localhost:" + closedPort();
    configure("{\"serverUrl\": \"" + url + "\"}");

    assertError(
        host.post(API + "/test", operator, null),
        502,
        "UNREACHABLE",
        "cannot reach LDAP server [" + url + "]: connection refused");
    assertThat(authenticate("alice", "alice-pw-1").status()).isEqualTo(502);
    assertThat(host.post("/api/auth/login", null, login("alice", "alice-pw-1")).status())
        .isEqualTo(401);
  }

  @Test
  void silentServerTimesOut() throws IOException {
    // Accepts connections (into the backlog) and never answers.
    try (ServerSocket silent = new ServerSocket(0)) {
      String url = "ldap://localhost:" + silent.getLocalPort();
      configure("{\"serverUrl\": \"" + url + "\", \"connectTimeoutMillis\": 300}");

      assertError(
          host.post(API + "/test", operator, null),
          502,
          "UNREACHABLE",
          "LDAP server ["
              + url
              + "] did not answer within 300 ms (bind as ["
              + TestDirectory.SERVICE_DN
              + "])");
    }
  }

  @Test
  void wrongBindPasswordIsNamedWithoutEchoingIt() {
    configure("{\"bindPassword\": \"Wrong-Bind-Pw-917\"}");

    TestHost.Response r = host.post(API + "/test", operator, null);

    assertError(
        r,
        502,
        "SERVICE_BIND_FAILED",
        "LDAP server ["
            + directory.url()
            + "] rejected bind DN ["
            + TestDirectory.SERVICE_DN
            + "]: invalid credentials (check bindDn and bindPassword)");
    assertThat(r.text()).doesNotContain("Wrong-Bind-Pw-917");
  }

  @Test
  void malformedFilterIsNamed() {
    configure("{\"userFilter\": \"(uid={username}\"}");

    assertError(
        host.post(API + "/test", operator, null),
        409,
        "BAD_FILTER",
        "userFilter [(uid={username}] is not a valid LDAP filter: Unable to parse string"
            + " '(uid={username}' as an LDAP filter because it has an opening parenthesis at"
            + " position 0 without the expected closing parenthesis at position 14.");
    assertThat(host.get(API + "/users", operator).status()).isEqualTo(409);
    assertThat(authenticate("alice", "alice-pw-1").status()).isEqualTo(409);
  }

  @Test
  void filterWithoutPlaceholderIsNamed() {
    configure("{\"userFilter\": \"(uid=alice)\"}");

    assertError(
        host.post(API + "/test", operator, null),
        409,
        "BAD_FILTER",
        "userFilter [(uid=alice)] does not contain {username}");
  }

  @Test
  void missingBaseDnIsNamed() {
    configure("{\"baseDn\": \"ou=nowhere,dc=example,dc=com\"}");

    assertError(
        host.post(API + "/test", operator, null),
        502,
        "DIRECTORY_ERROR",
        "baseDn [ou=nowhere,dc=example,dc=com] does not exist on LDAP server ["
            + directory.url()
            + "]");
  }

  @Test
  void startTlsRefusedByTheServerIsNamed() {
    configure("{\"useStartTls\": true}");

    assertError(
        host.post(API + "/test", operator, null),
        502,
        "TLS_FAILED",
        "StartTLS with LDAP server ["
            + directory.url()
            + "] failed: unwilling to perform (No extended operation handler is defined for"
            + " extended request OID '1.3.6.1.4.1.1466.20037'.)");
  }

  @Test
  void missingBindPasswordAsksToEnterItAgain() {
    configure("{\"bindPassword\": null}");

    assertError(
        host.post(API + "/test", operator, null),
        409,
        "NOT_CONFIGURED",
        "bindPassword is not set for bindDn ["
            + TestDirectory.SERVICE_DN
            + "]: it is a secret, never exported, so enter it again after importing this plugin"
            + " (PUT /api/plugins/ldap-auth/config)");
  }

  @Test
  void bindPasswordNeverLeavesTheHost() throws IOException {
    // Use it in every way first: test, login, search, import, a refused bind.
    assertThat(host.post(API + "/test", operator, null).status()).isEqualTo(200);
    assertThat(host.login("dave", "dave-pw-4")).isNotBlank();
    assertThat(host.post(API + "/import", operator, "{\"all\": true}").status()).isEqualTo(200);
    configure("{\"serverUrl\": \"ldap://localhost:" + closedPort() + "\"}");
    host.post("/api/auth/login", null, login("alice", "alice-pw-1"));
    LdapPluginHost.configure(host, LdapPluginHost.goodConfig(directory));

    TestHost.Response config = host.get(LdapPluginHost.CONFIG, operator);
    assertThat(config.data().get("values").has("bindPassword")).isFalse();
    assertThat(config.data().get("values").get("bindDn").asString())
        .isEqualTo(TestDirectory.SERVICE_DN);
    assertThat(config.data().get("secretsSet").get(0).asString()).isEqualTo("bindPassword");
    assertThat(config.text()).doesNotContain(TestDirectory.SERVICE_PASSWORD);

    TestHost.Response export =
        host.get("/api/plugins/ldap-auth/export?includeData=true", host.adminToken());
    assertThat(export.status()).isEqualTo(200);
    Map<String, String> entries = unzip(export.body());
    assertThat(entries).containsKey("data/export.json");
    assertThat(entries.get("data/export.json"))
        .contains("\"serverUrl\" : \"" + directory.url() + "\"")
        .contains("\"dave\"")
        .doesNotContain("bindPassword");
    entries.forEach(
        (name, text) -> assertThat(text).as(name).doesNotContain(TestDirectory.SERVICE_PASSWORD));

    assertThat(HostLog.text()).contains("ldap-auth").doesNotContain(TestDirectory.SERVICE_PASSWORD);
  }

  private static void configure(String json) {
    LdapPluginHost.configure(host, json);
  }

  private static TestHost.Response authenticate(String username, String password) {
    return host.post(API + "/authenticate", operator, login(username, password));
  }

  private static String login(String username, String password) {
    return "{\"username\": \"%s\", \"password\": \"%s\"}".formatted(username, password);
  }

  private static void assertError(TestHost.Response r, int status, String code, String message) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.json().get("success").asBoolean()).isFalse();
    assertThat(r.json().get("error").get("code").asString()).isEqualTo(code);
    assertThat(r.json().get("message").asString()).isEqualTo(message);
  }

  /** A port nothing listens on: bound once to get it, then closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Every entry of a ZIP as text (ISO-8859-1, so any byte sequence survives the search). */
  private static Map<String, String> unzip(byte[] zip) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
      }
    }
    return entries;
  }
}
