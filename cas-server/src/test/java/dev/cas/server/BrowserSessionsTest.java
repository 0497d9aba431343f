package dev.cas.server;

import static dev.cas.server.Awaits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Browser sessions on real hosts: an idle session ends (a host with a 2 s idle timeout), failed
 * sign-ins are limited per username and per client address (429 with Retry-After, audited), and a
 * user lists and ends their sessions while an admin ends another user's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserSessionsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path tmp;
  private TestHost limited;
  private TestHost plain;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    limited =
        TestHost.start(
            tmp.resolve("limited"),
            TestDatabases.freshEmbedded(),
            false,
            Map.of(
                "CAS_SESSION_IDLE_TIMEOUT_SECONDS", "2",
                "CAS_SIGNIN_MAX_FAILURES_USER", "3",
                "CAS_SIGNIN_MAX_FAILURES_ADDRESS", "5",
                "CAS_SIGNIN_WINDOW_SECONDS", "600"));
    plain = TestHost.embedded(tmp.resolve("plain"));
  }

  @AfterAll
  void stop() {
    limited.close();
    plain.close();
  }

  /** A signed-in browser: its cookie ({@code cas_session=…}), CSRF token and session id. */
  private record Browser(String cookie, String csrf, String sessionId) {}

  private HttpResponse<String> send(
      TestHost host, String method, String path, Map<String, String> headers, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(host.base() + path));
    headers.forEach(b::header);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> signInResponse(
      TestHost host, String path, String username, String password, String userAgent) {
    return send(
        host,
        "POST",
        path,
        Map.of("Content-Type", "application/json", "User-Agent", userAgent),
        JSON.writeValueAsString(Map.of("username", username, "password", password)));
  }

  private Browser signIn(TestHost host, String username, String password, String userAgent) {
    HttpResponse<String> r =
        signInResponse(host, "/api/auth/session", username, password, userAgent);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
    JsonNode data = JSON.readTree(r.body()).get("data");
    return new Browser(
        setCookie.substring(0, setCookie.indexOf(';')),
        data.get("csrfToken").asString(),
        data.get("sessionId").asString());
  }

  private HttpResponse<String> as(TestHost host, Browser b, String method, String path) {
    return send(host, method, path, Map.of("Cookie", b.cookie(), "X-CSRF-Token", b.csrf()), null);
  }

  private static JsonNode json(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  private static List<String> ids(JsonNode sessions) {
    return StreamSupport.stream(sessions.spliterator(), false)
        .map(s -> s.get("id").asString())
        .toList();
  }

  @Test
  @Order(1)
  void anIdleSessionEndsAndItsNextRequestIsToldToSignInAgain() {
    Browser b = signIn(limited, "admin", TestHost.ADMIN_PASSWORD, "idle-test");
    HttpResponse<String> session = as(limited, b, "GET", "/api/auth/session");
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(json(session).get("data").get("idleTimeoutSeconds").asLong()).isEqualTo(2);
    // Watched through the admin's bearer token, which does not touch the browser session.
    awaitUntil(
        () ->
            !ids(limited.get("/api/users/admin/sessions", limited.adminToken).data())
                .contains(b.sessionId()));
    HttpResponse<String> after = as(limited, b, "GET", "/api/plugins");
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(json(after).get("message").asString())
        .isEqualTo("the session has ended; sign in again");
    // The ended session does not stand in the way of a new one.
    Browser again = signIn(limited, "admin", TestHost.ADMIN_PASSWORD, "idle-test");
    assertThat(as(limited, again, "GET", "/api/plugins").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void failedSignInsAreLimitedPerUsernameAndPerAddress() {
    limited.userToken("rita", "user");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> wrong =
          signInResponse(limited, "/api/auth/session", "rita", "guess-" + i, "guesser");
      assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
    }
    // The right password too, now: a guess that happens to be right must teach nothing.
    for (String path : List.of("/api/auth/session", "/api/auth/login")) {
      HttpResponse<String> limitedAnswer =
          signInResponse(limited, path, "rita", "pw-rita", "guesser");
      assertThat(limitedAnswer.statusCode()).as(path).isEqualTo(429);
      JsonNode body = json(limitedAnswer);
      assertThat(body.get("error").get("code").asString()).isEqualTo("SIGN_IN_RATE_LIMITED");
      assertThat(body.get("message").asString())
          .matches(
              "too many failed sign-ins: 3 failed sign-ins for user \\[rita] within 600 s; try"
                  + " again in \\d+ s");
      long retryAfter =
          Long.parseLong(limitedAnswer.headers().firstValue("retry-after").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 600L);
      assertThat(limitedAnswer.headers().firstValue("set-cookie")).isEmpty();
    }
    // Another user from the same address still signs in (3 failures of 5 for the address).
    signIn(limited, "admin", TestHost.ADMIN_PASSWORD, "admin-browser");

    // Guesses spread over usernames hit the address's limit.
    for (String name : List.of("nobody-1", "nobody-2")) {
      assertThat(signInResponse(limited, "/api/auth/session", name, "x", "sprayer").statusCode())
          .isEqualTo(401);
    }
    HttpResponse<String> spray =
        signInResponse(limited, "/api/auth/session", "admin", TestHost.ADMIN_PASSWORD, "sprayer");
    assertThat(spray.statusCode()).isEqualTo(429);
    assertThat(json(spray).get("message").asString())
        .matches(
            "too many failed sign-ins: 5 failed sign-ins from address \\[[0-9a-f.:]+] within 600"
                + " s; try again in \\d+ s");
    assertThat(spray.headers().firstValue("retry-after")).isPresent();

    // Each refusal is in the audit trail, without the password.
    JsonNode audit = limited.get("/api/audit?limit=50", limited.adminToken).data();
    List<JsonNode> refusals =
        StreamSupport.stream(audit.spliterator(), false)
            .filter(e -> e.get("outcome").asString().equals("rate-limited"))
            .toList();
    assertThat(refusals).hasSize(3);
    assertThat(refusals)
        .allSatisfy(
            e -> {
              assertThat(e.get("action").asString()).isEqualTo("login");
              assertThat(e.toString()).doesNotContain("pw-rita", TestHost.ADMIN_PASSWORD);
            });
    // Newest first: the last is the first refusal, for rita.
    assertThat(refusals.getLast().get("target").asString()).isEqualTo("rita");
    assertThat(refusals.getLast().get("actor").asString()).isEqualTo("anonymous");
    assertThat(refusals.getLast().get("detail").asString())
        .startsWith("3 failed sign-ins for user [rita] within 600 s; try again in ");
  }

  @Test
  void aUserListsAndEndsTheirSessionsAndAnAdminEndsAnothersSessions() {
    plain.userToken("sam", "user");
    Browser laptop = signIn(plain, "sam", "pw-sam", "laptop-browser");
    Browser phone = signIn(plain, "sam", "pw-sam", "phone-browser");
    Browser tablet = signIn(plain, "sam", "pw-sam", "tablet-browser");

    HttpResponse<String> list = as(plain, laptop, "GET", "/api/sessions");
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    JsonNode sessions = json(list).get("data");
    assertThat(ids(sessions))
        .containsExactlyInAnyOrder(laptop.sessionId(), phone.sessionId(), tablet.sessionId());
    for (JsonNode s : sessions) {
      assertThat(s.get("current").asBoolean())
          .as(s.toString())
          .isEqualTo(s.get("id").asString().equals(laptop.sessionId()));
      assertThat(s.get("remote").asString()).matches("[0-9a-f.:]+");
      assertThat(s.get("userAgent").asString()).endsWith("-browser");
      assertThat(s.properties().stream().map(Map.Entry::getKey).toList())
          .containsExactly(
              "id",
              "current",
              "createdAt",
              "lastSeenAt",
              "idleExpiresAt",
              "expiresAt",
              "remote",
              "userAgent");
    }
    // No token or its hash in the list.
    assertThat(list.body())
        .doesNotContain(laptop.cookie().substring("cas_session=".length()))
        .doesNotContain("token");

    // Another site cannot end them through the browser's cookie: no CSRF token, no change.
    HttpResponse<String> forged =
        send(
            plain,
            "DELETE",
            "/api/sessions/" + phone.sessionId(),
            Map.of("Cookie", laptop.cookie()),
            null);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(json(forged).get("error").get("code").asString()).isEqualTo("CSRF_TOKEN_MISSING");
    assertThat(as(plain, phone, "GET", "/api/plugins").statusCode()).isEqualTo(200);

    // Ending one of one's own sessions: that browser is signed out, the others go on.
    HttpResponse<String> end = as(plain, laptop, "DELETE", "/api/sessions/" + phone.sessionId());
    assertThat(end.statusCode()).as(end.body()).isEqualTo(200);
    assertThat(as(plain, phone, "GET", "/api/plugins").statusCode()).isEqualTo(401);
    assertThat(as(plain, laptop, "GET", "/api/plugins").statusCode()).isEqualTo(200);
    // Another user's session id is unknown to this user.
    Browser admin = signIn(plain, "admin", TestHost.ADMIN_PASSWORD, "admin-browser");
    HttpResponse<String> foreign =
        as(plain, laptop, "DELETE", "/api/sessions/" + admin.sessionId());
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(json(foreign).get("message").asString())
        .isEqualTo("user [sam] has no session [" + admin.sessionId() + "]");
    assertThat(as(plain, admin, "GET", "/api/plugins").statusCode()).isEqualTo(200);

    // "Sign out everywhere else" keeps the session that asks.
    HttpResponse<String> others = as(plain, laptop, "DELETE", "/api/sessions");
    assertThat(json(others).get("data").get("ended").asInt()).isEqualTo(1);
    assertThat(as(plain, tablet, "GET", "/api/plugins").statusCode()).isEqualTo(401);
    assertThat(ids(json(as(plain, laptop, "GET", "/api/sessions")).get("data")))
        .containsExactly(laptop.sessionId());

    // An admin sees and ends all of sam's sessions.
    Browser desk = signIn(plain, "sam", "pw-sam", "desk-browser");
    HttpResponse<String> seen = as(plain, admin, "GET", "/api/users/sam/sessions");
    assertThat(ids(json(seen).get("data")))
        .containsExactlyInAnyOrder(laptop.sessionId(), desk.sessionId());
    assertThat(as(plain, laptop, "GET", "/api/users/sam/sessions").statusCode()).isEqualTo(403);
    HttpResponse<String> revoked = as(plain, admin, "DELETE", "/api/users/sam/sessions");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(json(revoked).get("message").asString())
        .isEqualTo("2 session(s) of user [sam] ended");
    for (Browser b : List.of(laptop, desk)) {
      HttpResponse<String> r = as(plain, b, "GET", "/api/plugins");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(json(r).get("message").asString())
          .isEqualTo("the session has ended; sign in again");
    }
    assertThat(as(plain, admin, "GET", "/api/plugins").statusCode()).isEqualTo(200);
    assertThat(plain.get("/api/users/nobody/sessions", plain.adminToken).status()).isEqualTo(404);
    JsonNode audit = plain.get("/api/audit?limit=20", plain.adminToken).data();
    assertThat(audit.toString())
        .contains("\"action\":\"session.revoke\"", "2 session(s) by an admin");
  }
}
