package dev.cas.server;

import static dev.cas.server.http.HttpApi.Role.ADMIN;
import static dev.cas.server.http.HttpApi.Role.OPERATOR;
import static dev.cas.server.http.HttpApi.Role.PUBLIC;
import static dev.cas.server.http.HttpApi.Role.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import dev.cas.server.http.Endpoints;
import dev.cas.server.http.HttpApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route × no token / a token whose user lacks the role / a token with exactly the role the
 * route demands. Roles: admin manages (import, export, delete, docs write, audit, users), operator
 * activates, deactivates, configures and reads, user reads.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthMatrixTest {

  /**
   * One row of the matrix: a route (as {@link Endpoints} writes it, or a plugin's own route), the
   * least role that may call it, the body sent, and the status the least role gets. {@code {id}} is
   * the installed notes plugin, {@code {docId}} one of its docs.
   */
  record Row(
      String method,
      String path,
      HttpApi.Role minimum,
      String body,
      int status,
      boolean pluginRoute) {
    @Override
    public String toString() {
      return method + " " + path + " (" + minimum.name().toLowerCase() + ")";
    }
  }

  private static final String LOGIN =
      "{\"username\": \"admin\", \"password\": \"" + TestHost.ADMIN_PASSWORD + "\"}";
  private static final String DOC =
      "{\"type\": \"examples\", \"title\": \"Matrix\", \"format\": \"markdown\", \"content\": \"# x\"}";
  private static final String NEW_USER =
      "{\"username\": \"newbie\", \"password\": \"newbie-password\", \"roles\": [\"user\"]}";

  /**
   * In the order the right-role pass runs it: reads first, deactivate before activate, delete last.
   */
  static final List<Row> MATRIX =
      List.of(
          route("POST", "/api/auth/login", PUBLIC, LOGIN, 200),
          route("POST", "/api/auth/session", PUBLIC, LOGIN, 200),
          // A bearer token is no browser session: there is no CSRF token to give it.
          route("GET", "/api/auth/session", USER, null, 400),
          route("GET", "/api/openapi.json", PUBLIC, null, 200),
          route("GET", "/api/health", PUBLIC, null, 200),
          route("POST", "/api/auth/tokens", USER, "{}", 201),
          route("GET", "/api/auth/me", USER, null, 200),
          route("GET", "/api/sessions", USER, null, 200),
          // A bearer caller has no current session: this ends all of its user's browser sessions.
          route("DELETE", "/api/sessions", USER, null, 200),
          // Not one of the caller's sessions: unknown, as any id that is not theirs.
          route("DELETE", "/api/sessions/{id}", USER, null, 404),
          route("GET", "/api/plugins", USER, null, 200),
          route("GET", "/api/plugins/{id}", USER, null, 200),
          route("GET", "/api/plugins/{id}/status", USER, null, 200),
          route("GET", "/api/plugins/{id}/docs", USER, null, 200),
          route("GET", "/api/plugins/{id}/docs/{docId}", USER, null, 200),
          pluginRoute("GET", "/api/plugins/{id}/notes", USER, null, 200),
          route("GET", "/api/plugins/{id}/config", OPERATOR, null, 200),
          route("GET", "/api/plugins/{id}/logs", OPERATOR, null, 200),
          // A stream that never ends: called without its required topics, it answers 400.
          route("GET", "/api/events/stream", USER, null, 400),
          route("PUT", "/api/plugins/{id}/config", OPERATOR, "{\"greeting\": \"hello\"}", 200),
          route("POST", "/api/plugins/{id}/deactivate", OPERATOR, null, 200),
          route("POST", "/api/plugins/{id}/activate", OPERATOR, null, 200),
          route("POST", "/api/plugins/import", ADMIN, "{}", 400),
          route("GET", "/api/plugins/{id}/export", ADMIN, null, 200),
          route("POST", "/api/plugins/{id}/docs", ADMIN, DOC, 201),
          route("PUT", "/api/plugins/{id}/docs/{docId}", ADMIN, DOC, 200),
          route("DELETE", "/api/plugins/{id}/docs/{docId}", ADMIN, null, 200),
          route("GET", "/api/audit", ADMIN, null, 200),
          route("GET", "/api/users", ADMIN, null, 200),
          route("POST", "/api/users", ADMIN, NEW_USER, 201),
          route("GET", "/api/users/{username}/sessions", ADMIN, null, 200),
          route("DELETE", "/api/users/{username}/sessions", ADMIN, null, 200),
          // These two sign the caller's token out: each is called with a token of its own.
          route("DELETE", "/api/auth/tokens/current", USER, null, 200),
          route("DELETE", "/api/auth/session", USER, null, 200),
          route("DELETE", "/api/plugins/{id}", ADMIN, null, 200));

  @TempDir static Path tmp;
  static TestHost host;
  static Map<HttpApi.Role, String> tokens;
  static String docId;

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    TestHost.Response imported =
        host.importZip(
            new TestPlugins(tmp.resolve("build")).buildZip(NotesPlugin.spec("1.0.0")), "");
    assertThat(imported.status()).as(imported.text()).isEqualTo(201);
    TestHost.Response doc = host.post("/api/plugins/notes/docs", host.adminToken, DOC);
    assertThat(doc.status()).as(doc.text()).isEqualTo(201);
    docId = doc.data().get("id").asString();
    tokens =
        Map.of(
            USER,
            host.userToken("uma", "user"),
            OPERATOR,
            host.userToken("otto", "operator"),
            ADMIN,
            host.adminToken);
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("MATRIX")
  void withoutTokenOnlyPublicRoutesAnswer(Row row) {
    TestHost.Response r = call(row, null);
    if (row.minimum() == PUBLIC) {
      assertThat(r.status()).as(r.text()).isEqualTo(row.status());
      return;
    }
    assertThat(r.status()).as(r.text()).isEqualTo(401);
    assertThat(r.errorCode()).isEqualTo("UNAUTHENTICATED");
    assertThat(r.json().get("success").asBoolean()).isFalse();
    assertThat(r.json().get("message").asString())
        .isEqualTo(
            "authentication required: send Authorization: Bearer <token> (POST /api/auth/login gives one)");
  }

  static Stream<Arguments> tooLowRoles() {
    return MATRIX.stream()
        .flatMap(
            row ->
                Stream.of(USER, OPERATOR)
                    .filter(role -> role.compareTo(row.minimum()) < 0)
                    .map(role -> Arguments.of(row, role)));
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("tooLowRoles")
  void aTokenWithoutTheRoleIsForbidden(Row row, HttpApi.Role role) {
    TestHost.Response r = call(row, tokens.get(role));
    assertThat(r.status()).as(r.text()).isEqualTo(403);
    assertThat(r.errorCode()).isEqualTo("FORBIDDEN");
    String user = role == USER ? "uma" : "otto";
    assertThat(r.json().get("message").asString())
        .isEqualTo(
            "user ["
                + user
                + "] lacks role ["
                + row.minimum().name().toLowerCase()
                + "] for "
                + row.method()
                + " "
                + concrete(row.path()));
  }

  /** In table order, since these calls change the host (last: it uninstalls the plugin). */
  @Test
  @Order(Integer.MAX_VALUE)
  void theLeastRoleThatMayCallARouteGetsItsAnswer() {
    SoftAssertions soft = new SoftAssertions();
    for (Row row : MATRIX) {
      String token = row.minimum() == PUBLIC ? null : tokens.get(row.minimum());
      if (row.method().equals("DELETE") && row.path().startsWith("/api/auth/")) {
        token = host.server.host().users().issueToken("uma", "matrix", Duration.ofHours(1));
      }
      TestHost.Response r = call(row, token);
      soft.assertThat(r.status()).as(row + ": " + r.text()).isEqualTo(row.status());
    }
    soft.assertAll();
    assertThat(host.get("/api/plugins").data()).isEmpty();
  }

  @Test
  void theMatrixCoversEveryRouteOfEndpoints() {
    List<EndpointRoutes.Route> inMatrix =
        MATRIX.stream()
            .filter(r -> !r.pluginRoute())
            .map(r -> new EndpointRoutes.Route(r.method(), r.path(), r.minimum()))
            .toList();
    assertThat(inMatrix).containsExactlyInAnyOrderElementsOf(EndpointRoutes.of(host.server.host()));
  }

  @Test
  void anUnknownTokenIsRefused() {
    TestHost.Response r = host.get("/api/plugins", "cas_not-a-real-token");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.errorCode()).isEqualTo("UNAUTHENTICATED");
    assertThat(r.json().get("message").asString()).isEqualTo("the token is unknown or expired");
  }

  @Test
  void anExpiredTokenIsRefused() {
    String expired = host.server.host().users().issueToken("uma", "old", Duration.ofSeconds(-1));
    TestHost.Response r = host.get("/api/auth/me", expired);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.errorCode()).isEqualTo("UNAUTHENTICATED");
    assertThat(r.json().get("message").asString()).isEqualTo("the token is unknown or expired");
  }

  @Test
  void anAuthorizationHeaderThatIsNotBearerIsRefused() throws IOException, InterruptedException {
    HttpRequest basic =
        HttpRequest.newBuilder(URI.create(host.base() + "/api/plugins"))
            .header("Authorization", "Basic YWRtaW46eA==")
            .build();
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(basic, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body())
        .contains(
            "\"code\":\"UNAUTHENTICATED\"",
            "\"message\":\"Authorization must be 'Bearer <token>'\"");
  }

  @Test
  void aWrongPasswordGetsNoToken() {
    TestHost.Response r =
        host.post("/api/auth/login", null, "{\"username\": \"admin\", \"password\": \"guess\"}");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.errorCode()).isEqualTo("UNAUTHENTICATED");
    assertThat(r.json().get("message").asString()).isEqualTo("wrong username or password");
    assertThat(r.data().isNull()).isTrue();
  }

  /** Only /api/plugins/{id}/** reaches a plugin's routes; other unknown paths are plain 404s. */
  @Test
  void unknownPathsOutsideThePluginPrefixAreNotDispatchedToPlugins() {
    TestHost.Response r = host.get("/api/users/notes/greeting", tokens.get(USER));
    assertThat(r.status()).as(r.text()).isEqualTo(404);
    assertThat(r.json().get("message").asString())
        .isEqualTo("no route for GET /api/users/notes/greeting");
  }

  private static TestHost.Response call(Row row, String token) {
    byte[] body = row.body() == null ? null : row.body().getBytes(StandardCharsets.UTF_8);
    return host.send(
        row.method(), concrete(row.path()), token, body == null ? null : "application/json", body);
  }

  private static String concrete(String template) {
    return template.replace("{id}", "notes").replace("{docId}", docId).replace("{username}", "uma");
  }

  private static Row route(
      String method, String path, HttpApi.Role minimum, String body, int status) {
    return new Row(method, path, minimum, body, status, false);
  }

  private static Row pluginRoute(
      String method, String path, HttpApi.Role minimum, String body, int status) {
    return new Row(method, path, minimum, body, status, true);
  }
}
