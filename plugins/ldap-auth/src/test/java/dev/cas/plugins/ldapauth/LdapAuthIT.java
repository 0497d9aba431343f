package dev.cas.plugins.ldapauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The plugin's endpoints and host sign-in against a real directory, on a real host. */
class LdapAuthIT {

  private static final String API = "/api/plugins/ldap-auth";

  private static TestDirectory directory;
  private static TestHost host;
  private static String operator;

  @BeforeAll
  static void start(@TempDir Path dataDir) throws Exception {
    directory = TestDirectory.start();
    host = LdapPluginHost.start(dataDir, directory);
    operator = host.createUser("olivia", "operator");
    host.createUser("frank", "user"); // a local account the directory also has a "frank" for
  }

  @AfterAll
  static void stop() {
    host.close();
    directory.close();
  }

  @Test
  void testConnectsAndBindsAsTheServiceAccount() {
    TestHost.Response r = host.post(API + "/test", operator, null);

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.data().get("ok").asBoolean()).isTrue();
    assertThat(r.data().get("boundAs").asString()).isEqualTo(TestDirectory.SERVICE_DN);
    assertThat(r.data().get("tls").asString()).isEqualTo("none");
    assertThat(r.json().get("message").asString())
        .isEqualTo("connected to " + directory.url() + " and bound as " + TestDirectory.SERVICE_DN);
  }

  @Test
  void authenticateAcceptsTheDirectoryPassword() {
    TestHost.Response r = authenticate("alice", "alice-pw-1");

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode user = r.data().get("user");
    assertThat(user.get("dn").asString()).isEqualTo("uid=alice," + TestDirectory.PEOPLE_DN);
    assertThat(user.get("username").asString()).isEqualTo("alice");
    assertThat(user.get("displayName").asString()).isEqualTo("Alice Liddell");
    assertThat(user.get("email").asString()).isEqualTo("alice@example.com");
  }

  @Test
  void authenticateAnswersWrongPasswordAndUnknownUserAlike() {
    TestHost.Response wrongPassword = authenticate("alice", "not-her-password");
    TestHost.Response unknownUser = authenticate("nobody", "whatever");

    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(wrongPassword.json().get("message").asString())
        .isEqualTo("wrong username or password");
    assertThat(wrongPassword.json().get("error").get("code").asString())
        .isEqualTo("INVALID_CREDENTIALS");
    assertThat(unknownUser.status()).isEqualTo(401);
    assertThat(unknownUser.text()).isEqualTo(wrongPassword.text());
  }

  @Test
  void authenticateRefusesAnEmptyPasswordInsteadOfBindingAnonymously() {
    assertThat(authenticate("alice", "").status()).isEqualTo(401);
  }

  @Test
  void usernamesCannotInjectFilterSyntax() {
    // With unescaped input, "*" would match alice's entry and her password would log in.
    assertThat(authenticate("*", "alice-pw-1").status()).isEqualTo(401);
    assertThat(authenticate("alice)(uid=*", "alice-pw-1").status()).isEqualTo(401);
    assertThat(authenticate("ali*", "alice-pw-1").status()).isEqualTo(401);
    assertThat(usernames(host.get(API + "/users?query=*", operator))).isEmpty();
  }

  @Test
  void referralsToAnotherServerAreNotFollowed() throws Exception {
    // Threat: a referral would send the search, then the user's password, to another server.
    try (TestDirectory elsewhere = TestDirectory.start()) {
      elsewhere.addPerson("mallory", "Mallory Elsewhere", "mallory-pw-7");
      directory.addReferral("mallory", elsewhere.url());

      assertThat(authenticate("mallory", "mallory-pw-7").status()).isEqualTo(401);
      assertThat(usernames(host.get(API + "/users?query=mallory", operator))).isEmpty();
    }
  }

  @Test
  void usersSearchesByUsernameAndListsEveryoneWithoutQuery() {
    TestHost.Response some = host.get(API + "/users?query=aro", operator);
    TestHost.Response all = host.get(API + "/users", operator);

    assertThat(some.status()).as(some.text()).isEqualTo(200);
    JsonNode carol = some.data().get("users").get(0);
    assertThat(usernames(some)).containsExactly("carol");
    assertThat(carol.get("displayName").asString()).isEqualTo("Carol Danvers");
    assertThat(carol.get("email").asString()).isEqualTo("carol@example.com");
    assertThat(usernames(all))
        .containsExactlyInAnyOrder("admin", "alice", "bob", "carol", "dave", "frank");
    assertThat(all.data().get("truncated").asBoolean()).isFalse();
  }

  @Test
  void importCopiesNamedUsersIntoTheHost() {
    TestHost.Response r =
        host.post(API + "/import", operator, "{\"usernames\": [\"bob\", \"nobody\"]}");

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.data().get("imported").get(0).get("username").asString()).isEqualTo("bob");
    assertThat(r.data().get("notFound").get(0).asString()).isEqualTo("nobody");
    assertThat(r.json().get("message").asString()).isEqualTo("imported 1, not found 1, refused 0");
    JsonNode bob = hostUser("bob");
    assertThat(bob.get("displayName").asString()).isEqualTo("Bob Builder");
    assertThat(bob.get("email").asString()).isEqualTo("bob@example.com");
    assertThat(bob.get("roles").get(0).asString()).isEqualTo("user");
  }

  @Test
  void importAllRefusesToOverwriteLocalAccounts() {
    TestHost.Response r = host.post(API + "/import", operator, "{\"all\": true}");

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(strings(r.data().get("imported"), "username"))
        .containsExactlyInAnyOrder("alice", "bob", "carol", "dave");
    assertThat(strings(r.data().get("refused"), null)).containsExactlyInAnyOrder("admin", "frank");
    assertThat(hostUser("admin").get("displayName").asString()).isEqualTo("Administrator");
  }

  @Test
  void importNeedsUsernamesOrAll() {
    TestHost.Response r = host.post(API + "/import", operator, "{}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("message").asString())
        .isEqualTo(
            "send either {\"usernames\": [\"...\"]} or {\"all\": true}, not both and not neither");
  }

  @Test
  void hostLoginAcceptsADirectoryUser() {
    String token = host.login("carol", "carol-pw-3");

    JsonNode me = host.get("/api/auth/me", token).data();
    assertThat(me.get("username").asString()).isEqualTo("carol");
    assertThat(me.get("displayName").asString()).isEqualTo("Carol Danvers");
    assertThat(me.get("roles").get(0).asString()).isEqualTo("user");
    assertThat(host.post("/api/auth/login", null, login("carol", "wrong")).status()).isEqualTo(401);
  }

  @Test
  void hostLoginNeverTakesOverALocalAccountOfTheSameName() {
    assertThat(host.post("/api/auth/login", null, login("admin", "ldap-admin-pw")).status())
        .isEqualTo(401);
    assertThat(host.post("/api/auth/login", null, login("frank", "frank-pw-6")).status())
        .isEqualTo(401);
    assertThat(host.login("frank", "pw-frank-testkit")).isNotBlank();
  }

  @Test
  void endpointsNeedTheOperatorRole() {
    String user = host.createUser("uma", "user");

    TestHost.Response r = host.post(API + "/test", user, null);

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().get("message").asString())
        .isEqualTo("user [uma] lacks role [operator] for POST /api/plugins/ldap-auth/test");
  }

  @Test
  void everyEndpointTheDirectoryPageUsesRefusesAPlainUser() {
    String user = host.createUser("ursula", "user");

    TestHost.Response search = host.get(API + "/users?query=a", user);
    TestHost.Response importing = host.post(API + "/import", user, "{\"usernames\": [\"dave\"]}");
    TestHost.Response checking = host.post(API + "/authenticate", user, login("dave", "dave-pw-4"));

    assertThat(search.status()).isEqualTo(403);
    assertThat(search.json().get("message").asString())
        .isEqualTo("user [ursula] lacks role [operator] for GET /api/plugins/ldap-auth/users");
    assertThat(importing.status()).isEqualTo(403);
    assertThat(importing.json().get("message").asString())
        .isEqualTo("user [ursula] lacks role [operator] for POST /api/plugins/ldap-auth/import");
    assertThat(checking.status()).isEqualTo(403);
  }

  @Test
  void docsListEveryEndpointAndTreatTheBindPasswordAsASecret() {
    String token = host.adminToken();
    JsonNode docs = host.get(API + "/docs", token).data();

    assertThat(strings(docs, "type")).containsExactly("readme", "api", "installation");
    String api =
        host.get(API + "/docs/" + docs.get(1).get("id").asLong(), token)
            .data()
            .get("content")
            .asString();
    assertThat(api)
        .contains(
            "| POST | `/test` |", "| POST | `/authenticate` |", "| GET | `/users?query=text` |")
        .contains("| POST | `/import` |");
    String readme =
        host.get(API + "/docs/" + docs.get(0).get("id").asLong(), token)
            .data()
            .get("content")
            .asString();
    assertThat(readme)
        .contains("**The bind password is a secret.**", "**never exported**", "enter it again")
        .contains("**Outbound network is limited to the configured host.**");
  }

  private static TestHost.Response authenticate(String username, String password) {
    return host.post(API + "/authenticate", operator, login(username, password));
  }

  private static String login(String username, String password) {
    return "{\"username\": \"%s\", \"password\": \"%s\"}".formatted(username, password);
  }

  private static JsonNode hostUser(String username) {
    return StreamSupport.stream(
            host.get("/api/users", host.adminToken()).data().spliterator(), false)
        .filter(u -> u.get("username").asString().equals(username))
        .findFirst()
        .orElseThrow(() -> new AssertionError("host has no user [" + username + "]"));
  }

  private static List<String> usernames(TestHost.Response r) {
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return strings(r.data().get("users"), "username");
  }

  private static List<String> strings(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> field == null ? n.asString() : n.get(field).asString())
        .toList();
  }
}
