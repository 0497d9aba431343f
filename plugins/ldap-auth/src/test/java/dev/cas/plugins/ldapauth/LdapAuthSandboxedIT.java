package dev.cas.plugins.ldapauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * ldap-auth under the sandbox agent, as {@code ./cas server} runs it (this JVM starts with {@code
 * -javaagent}): the UnboundID SDK's reader thread works because the plugin declares {@code
 * threads.create}, a directory on the port its manifest allows (389) answers, and one on another
 * port is refused by the sandbox, counted and audited. Needs port 389 (the tests run as root).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LdapAuthSandboxedIT {

  private static final String API = "/api/plugins/ldap-auth";

  private static TestDirectory allowed;
  private static TestDirectory elsewhere;
  private static TestHost host;
  private static String operator;

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    allowed = TestDirectory.start(389);
    elsewhere = TestDirectory.start();
    host = LdapPluginHost.start(dataDir, allowed);
    operator = host.createUser("olivia", "operator");
  }

  @AfterAll
  static void stop() {
    try {
      host.close();
    } finally {
      allowed.close();
      elsewhere.close();
    }
  }

  @Test
  @Order(1)
  void theSandboxIsEnforcedAndTheDirectoryOnAnAllowedPortAnswers() {
    TestHost.Response status = host.get(API + "/status", operator);
    assertThat(status.data().get("state").asString()).isEqualTo("active");
    assertThat(status.data().get("sandbox").get("enforced").asBoolean()).isTrue();

    TestHost.Response test = host.post(API + "/test", operator, null);
    assertThat(test.status()).as(test.text()).isEqualTo(200);
    assertThat(test.data().get("boundAs").asString()).isEqualTo(TestDirectory.SERVICE_DN);

    TestHost.Response login =
        host.post(
            API + "/authenticate",
            operator,
            "{\"username\":\"alice\",\"password\":\"alice-pw-1\"}");
    assertThat(login.status()).as(login.text()).isEqualTo(200);
    assertThat(login.data().get("user").get("displayName").asString()).isEqualTo("Alice Liddell");
    // The two denials, both as the LDAP SDK loads, and it carries on without them: its
    // StaticUtils reads the whole environment, and its Debug sets the level of the JVM-wide
    // logger com.unboundid.ldap.sdk (a plugin configures only plugin.<id>). No connection and no
    // thread of its was refused.
    TestHost.Response after = host.get(API + "/status", operator);
    assertThat(after.data().get("sandbox").get("byOperation").toString())
        .as(after.text())
        .isEqualTo("{\"LOGGER\":1,\"READ_ENVIRONMENT\":1}");
  }

  @Test
  @Order(2)
  void aDirectoryOnAPortTheManifestDoesNotAllowIsRefusedCountedAndAudited() {
    LdapPluginHost.configure(host, LdapPluginHost.goodConfig(elsewhere));
    try {
      TestHost.Response test = host.post(API + "/test", operator, null);
      assertThat(test.text())
          .contains(
              "cannot reach LDAP server ["
                  + elsewhere.url()
                  + "]: plugin [ldap-auth] may not connect to [localhost/127.0.0.1:"
                  + elsewhere.url().substring(elsewhere.url().lastIndexOf(':') + 1)
                  + "]: host not in sandbox.allowedHosts [*:389, *:636]");
      assertThat(
              host.get(API + "/status", operator)
                  .data()
                  .get("sandbox")
                  .get("byOperation")
                  .get("CONNECT")
                  .asLong())
          .isPositive();
      assertThat(host.get("/api/audit?plugin=ldap-auth", host.adminToken()).text())
          .contains("sandbox.denied");
    } finally {
      LdapPluginHost.configure(host, LdapPluginHost.goodConfig(allowed));
    }
  }
}
