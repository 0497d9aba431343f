package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.server.web.SecurityHeaders;
import dev.cas.server.web.UiComponents;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web components' files and gallery page as {@link UiComponents} serves them, on a real HTTP
 * server with the host's routes for them: types, cross-origin headers for plugin frames, ETags and
 * 304, and nothing but the components' own files.
 */
class UiComponentsTest {

  private static WebServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    UiComponents ui = new UiComponents();
    server =
        WebServer.builder()
            .port(0)
            .routing(
                r ->
                    r.get("/ui/components/{name}", ui::component)
                        .head("/ui/components/{name}", ui::component)
                        .get("/ui/gallery", ui::gallery))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
    headers.forEach(b::header);
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void everyComponentIsAModuleAPluginFrameMayImport() {
    for (String name :
        List.of(
            "index",
            "base",
            "button",
            "input",
            "select",
            "modal",
            "toast",
            "table",
            "schema-form")) {
      String path = "/ui/components/" + name + ".js";
      HttpResponse<String> r = get(path, Map.of("Origin", "null"));
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(header(r, "content-type")).as(path).isEqualTo("text/javascript; charset=utf-8");
      assertThat(header(r, "access-control-allow-origin")).as(path).isEqualTo("*");
      assertThat(header(r, "cross-origin-resource-policy")).as(path).isEqualTo("cross-origin");
      assertThat(header(r, "x-content-type-options")).as(path).isEqualTo("nosniff");
      assertThat(header(r, "cache-control")).as(path).isEqualTo("no-cache");
      assertThat(header(r, "etag")).as(path).matches("\"[0-9a-f]{32}\"");
      // Nothing from elsewhere: the modules import only each other, by relative path.
      assertThat(r.body()).as(path).doesNotContain("http://", "https://", "innerHTML", ".style.");
    }
    assertThat(get("/ui/components/index.js", Map.of()).body())
        .contains("export {CasSchemaForm} from './schema-form.js';");
  }

  @Test
  void anUnchangedComponentIsNotSentAgain() {
    HttpResponse<String> first = get("/ui/components/modal.js", Map.of());
    String etag = header(first, "etag");
    HttpResponse<String> again = get("/ui/components/modal.js", Map.of("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(header(again, "etag")).isEqualTo(etag);
    assertThat(header(again, "access-control-allow-origin")).isEqualTo("*");
    HttpResponse<String> changed =
        get("/ui/components/modal.js", Map.of("If-None-Match", "\"0000\""));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo(first.body());
  }

  @Test
  void nothingButTheComponentsIsServed() {
    for (String path :
        List.of(
            "/ui/components/..%2F..%2F..%2Flogback.xml",
            "/ui/components/%2e%2e%2fserver%2fweb%2fapp.js",
            "/ui/components/..%2Fserver%2Fweb%2Fapi.js",
            "/ui/components/logback.xml",
            "/ui/components/Modal.js",
            "/ui/components/missing.js",
            "/ui/components/.js",
            "/ui/components/modal.js%00.css")) {
      HttpResponse<String> r = get(path, Map.of());
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      // Refused by the name check, or not routed at all (a decoded "/" makes no single name).
      assertThat(r.body()).as(path).doesNotContain("<configuration", "customElements", "import ");
    }
  }

  @Test
  void theGalleryIsAHostPageUnderThePagesPolicy() {
    HttpResponse<String> r = get("/ui/gallery", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(header(r, "content-security-policy"))
        .isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY);
    assertThat(header(r, "x-frame-options")).isEqualTo("DENY");
    assertThat(header(r, "access-control-allow-origin")).isNull();
    assertThat(r.body())
        .contains("<script type=\"module\" src=\"/assets/gallery.js\"></script>")
        .doesNotContain("<style", " style=", "<script>");
  }
}
