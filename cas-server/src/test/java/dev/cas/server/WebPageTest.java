package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.server.web.SecurityHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin page and the browser session at the HTTP level, on a real host: the page's files with
 * their types, ETags and security headers; the session cookie's flags; CSRF refusals of
 * cookie-authenticated changes; sign-out. The page itself is tested in Chromium by cas-web-tests.
 */
class WebPageTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String LOGIN =
      "{\"username\": \"admin\", \"password\": \"" + TestHost.ADMIN_PASSWORD + "\"}";

  @TempDir static Path tmp;
  static TestHost host;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  private HttpResponse<byte[]> send(
      String method, String path, Map<String, String> headers, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(host.base() + path));
    headers.forEach(b::header);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The token with its first character changed (to another one: never the token itself). */
  private static String otherFirstCharacter(String token) {
    return (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static JsonNode json(HttpResponse<byte[]> r) {
    return JSON.readTree(r.body());
  }

  private static String header(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** A signed-in browser: its cookie and its CSRF token. */
  private record Session(String cookie, String csrf) {}

  private Session signIn() {
    HttpResponse<byte[]> r =
        send("POST", "/api/auth/session", Map.of("Content-Type", "application/json"), LOGIN);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    String setCookie = header(r, "set-cookie");
    return new Session(
        setCookie.substring(0, setCookie.indexOf(';')),
        json(r).get("data").get("csrfToken").asString());
  }

  @Test
  void thePageIsServedAtTheRootWithItsSecurityHeaders() {
    HttpResponse<byte[]> page = send("GET", "/", Map.of(), null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(header(page, "content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(header(page, "content-security-policy"))
        .isEqualTo(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
                + " connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self';"
                + " base-uri 'none'; frame-ancestors 'none'; frame-src 'self'")
        .isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY);
    assertThat(header(page, "x-content-type-options")).isEqualTo("nosniff");
    assertThat(header(page, "referrer-policy")).isEqualTo("no-referrer");
    assertThat(header(page, "x-frame-options")).isEqualTo("DENY");
    assertThat(header(page, "cache-control")).isEqualTo("no-cache");
    assertThat(header(page, "etag")).matches("\"[0-9a-f]{32}\"");
    // No inline script or style: every script is a module file of the host's, no style element.
    String html = text(page);
    Matcher scripts = Pattern.compile("<script[^>]*>").matcher(html);
    int count = 0;
    while (scripts.find()) {
      assertThat(scripts.group()).isEqualTo("<script type=\"module\" src=\"/assets/app.js\">");
      count++;
    }
    assertThat(count).isEqualTo(1);
    assertThat(html).doesNotContain("<style", " style=", "http://", "https://");
  }

  @Test
  void assetsHaveTheirTypesAndAnUnchangedOneIsNotSentAgain() {
    Map<String, String> types =
        Map.of(
            "/assets/app.js", "text/javascript; charset=utf-8",
            "/assets/import-view.js", "text/javascript; charset=utf-8",
            "/assets/app.css", "text/css; charset=utf-8",
            "/assets/favicon.svg", "image/svg+xml");
    types.forEach(
        (path, type) -> {
          HttpResponse<byte[]> r = send("GET", path, Map.of(), null);
          assertThat(r.statusCode()).as(path).isEqualTo(200);
          assertThat(header(r, "content-type")).as(path).isEqualTo(type);
          assertThat(header(r, "content-security-policy")).as(path).isNotNull();
          String etag = header(r, "etag");
          HttpResponse<byte[]> again = send("GET", path, Map.of("If-None-Match", etag), null);
          assertThat(again.statusCode()).as(path).isEqualTo(304);
          assertThat(again.body()).as(path).isEmpty();
          assertThat(header(again, "etag")).as(path).isEqualTo(etag);
        });
  }

  @Test
  void theWebComponentsAndTheirGalleryAreServedOnTheHostsPort() {
    HttpResponse<byte[]> module =
        send("GET", "/ui/components/index.js", Map.of("Origin", "null"), null);
    assertThat(module.statusCode()).isEqualTo(200);
    assertThat(header(module, "content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(header(module, "access-control-allow-origin")).isEqualTo("*");
    assertThat(header(module, "cross-origin-resource-policy")).isEqualTo("cross-origin");
    assertThat(header(module, "x-content-type-options")).isEqualTo("nosniff");
    HttpResponse<byte[]> gallery = send("GET", "/ui/gallery", Map.of(), null);
    assertThat(gallery.statusCode()).isEqualTo(200);
    assertThat(header(gallery, "content-security-policy"))
        .isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY);
    for (String path :
        List.of(
            "/ui/components/..%2F..%2F..%2Flogback.xml",
            "/ui/components/..%2Fserver%2Fweb%2Fapi.js",
            "/ui/components/%2e%2e/%2e%2e/logback.xml",
            "/ui/components/gallery.html",
            "/ui/components/",
            "/ui/gallery.js")) {
      HttpResponse<byte[]> r = send("GET", path, Map.of(), null);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(text(r)).as(path).doesNotContain("<configuration", "customElements", "<html");
    }
  }

  @Test
  void nothingButThePagesOwnFilesIsServed() {
    for (String path :
        List.of(
            "/assets/logback.xml",
            "/assets/..%2Flogback.xml",
            "/assets/%2e%2e%2fopenapi.json",
            "/assets/openapi.json",
            "/assets/missing.js",
            "/assets/App.js")) {
      HttpResponse<byte[]> r = send("GET", path, Map.of(), null);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(text(r)).as(path).doesNotContain("<configuration", "\"paths\"");
    }
  }

  @Test
  void signingInSetsAnHttpOnlyStrictCookieAndAnswersNoToken() {
    HttpResponse<byte[]> r =
        send("POST", "/api/auth/session", Map.of("Content-Type", "application/json"), LOGIN);
    assertThat(r.statusCode()).isEqualTo(200);
    String cookie = header(r, "set-cookie");
    assertThat(cookie)
        .matches(
            "cas_session=cas_[A-Za-z0-9_-]+; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
    // Over plain HTTP no Secure flag (the browser would drop the cookie); under TLS it is set.
    assertThat(cookie).doesNotContain("Secure");
    String token = cookie.substring("cas_session=".length(), cookie.indexOf(';'));
    JsonNode data = json(r).get("data");
    assertThat(data.get("user").get("username").asString()).isEqualTo("admin");
    assertThat(data.get("csrfToken").asString()).matches("[A-Za-z0-9_-]{43}");
    // The cookie's token never reaches the page's script.
    assertThat(text(r)).doesNotContain(token);
    assertThat(header(r, "cache-control")).isEqualTo("no-store");

    HttpResponse<byte[]> wrong =
        send(
            "POST",
            "/api/auth/session",
            Map.of("Content-Type", "application/json"),
            "{\"username\": \"admin\", \"password\": \"nope\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(json(wrong).get("message").asString()).isEqualTo("wrong username or password");
    assertThat(header(wrong, "set-cookie")).isNull();

    // Behind a TLS-terminating proxy the cookie is Secure.
    HttpResponse<byte[]> proxied =
        send(
            "POST",
            "/api/auth/session",
            Map.of("Content-Type", "application/json", "X-Forwarded-Proto", "https"),
            LOGIN);
    assertThat(header(proxied, "set-cookie"))
        .matches(
            "cas_session=cas_[A-Za-z0-9_-]+; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200;"
                + " Secure");

    // Another site's form can post text/plain: such a sign-in is refused (login CSRF).
    HttpResponse<byte[]> form =
        send("POST", "/api/auth/session", Map.of("Content-Type", "text/plain"), LOGIN);
    assertThat(form.statusCode()).isEqualTo(400);
    assertThat(json(form).get("message").asString())
        .isEqualTo(
            "sign-in must send its {username, password} body as Content-Type: application/json"
                + " (was [text/plain])");
    assertThat(header(form, "set-cookie")).isNull();
  }

  @Test
  void aCookieAuthenticatedChangeWithoutItsCsrfTokenIsRefused() {
    Session s = signIn();
    HttpResponse<byte[]> missing =
        send(
            "POST",
            "/api/users",
            Map.of("Cookie", s.cookie(), "Content-Type", "application/json"),
            "{\"username\": \"mallory\", \"password\": \"mallory-password\"}");
    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(json(missing).get("error").get("code").asString()).isEqualTo("CSRF_TOKEN_MISSING");
    assertThat(json(missing).get("message").asString())
        .isEqualTo(
            "a request signed in by the session cookie must send the session's CSRF token in"
                + " header X-CSRF-Token");

    HttpResponse<byte[]> wrong =
        send(
            "DELETE",
            "/api/plugins/notes",
            Map.of("Cookie", s.cookie(), "X-CSRF-Token", otherFirstCharacter(s.csrf())),
            null);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(json(wrong).get("error").get("code").asString()).isEqualTo("CSRF_TOKEN_INVALID");
    assertThat(json(wrong).get("message").asString())
        .isEqualTo("the X-CSRF-Token header does not match the session's CSRF token");
    assertThat(host.get("/api/users").data().valueStream().map(u -> u.get("username").asString()))
        .doesNotContain("mallory");

    // Reads need no token; a change with the right one goes through.
    assertThat(send("GET", "/api/plugins", Map.of("Cookie", s.cookie()), null).statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> created =
        send(
            "POST",
            "/api/users",
            Map.of(
                "Cookie", s.cookie(), "X-CSRF-Token", s.csrf(), "Content-Type", "application/json"),
            "{\"username\": \"maria\", \"password\": \"maria-password\"}");
    assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
    // Bearer clients (CLI, scripts) send no cookie and need no CSRF token.
    assertThat(host.post("/api/auth/tokens", host.adminToken, "{\"name\": \"ci\"}").status())
        .isEqualTo(201);
  }

  @Test
  void signingOutEndsTheSessionAndClearsTheCookie() {
    Session s = signIn();
    HttpResponse<byte[]> current =
        send("GET", "/api/auth/session", Map.of("Cookie", s.cookie()), null);
    assertThat(current.statusCode()).isEqualTo(200);
    assertThat(json(current).get("data").get("csrfToken").asString()).isEqualTo(s.csrf());

    HttpResponse<byte[]> refused =
        send("DELETE", "/api/auth/session", Map.of("Cookie", s.cookie()), null);
    assertThat(refused.statusCode()).isEqualTo(403);

    HttpResponse<byte[]> out =
        send(
            "DELETE",
            "/api/auth/session",
            Map.of("Cookie", s.cookie(), "X-CSRF-Token", s.csrf()),
            null);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(header(out, "set-cookie"))
        .isEqualTo("cas_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");

    HttpResponse<byte[]> after = send("GET", "/api/plugins", Map.of("Cookie", s.cookie()), null);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(json(after).get("message").asString())
        .isEqualTo("the session has ended; sign in again");
    // A stale cookie does not stand in the way of signing in again.
    HttpResponse<byte[]> again =
        send(
            "POST",
            "/api/auth/session",
            Map.of("Cookie", s.cookie(), "Content-Type", "application/json"),
            LOGIN);
    assertThat(again.statusCode()).isEqualTo(200);
  }

  @Test
  void aPluginRouteSeesNoCredentialOfItsCaller() {
    TestHost.Response spy =
        host.importZip(
            new dev.cas.runtime.TestPlugins(tmp.resolve("build-spy")).buildZip(SpyPlugin.spec()),
            "");
    assertThat(spy.status()).as(spy.text()).isEqualTo(201);
    Session s = signIn();
    String byBearer = host.get("/api/plugins/spy/headers").text();
    HttpResponse<byte[]> byCookie =
        send(
            "GET",
            "/api/plugins/spy/headers",
            Map.of("Cookie", s.cookie(), "X-CSRF-Token", s.csrf(), "X-Trace", "kept"),
            null);
    assertThat(byCookie.statusCode()).as(text(byCookie)).isEqualTo(200);
    assertThat(text(byCookie)).contains("x-trace=kept");
    for (String seen : List.of(byBearer, text(byCookie))) {
      assertThat(seen)
          .doesNotContain(
              host.adminToken,
              s.cookie().substring("cas_session=".length()),
              s.csrf(),
              "authorization",
              "cookie",
              "x-csrf-token");
    }
  }

  @Test
  void apiAnswersCarryTheCommonSecurityHeaders() {
    HttpResponse<byte[]> r = send("GET", "/api/health", Map.of(), null);
    assertThat(header(r, "x-content-type-options")).isEqualTo("nosniff");
    assertThat(header(r, "referrer-policy")).isEqualTo("no-referrer");
    assertThat(header(r, "x-frame-options")).isEqualTo("DENY");
    assertThat(header(r, "cache-control")).isEqualTo("no-store");
  }
}
