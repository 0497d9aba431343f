package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.PackageWriter;
import dev.cas.server.web.PluginFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin frontends over HTTP on a real host: {@code /plugins/<id>/assets/…} serves an active
 * plugin's {@code frontend/dist/} with types, ETags and the public-asset headers, and nothing else
 * (climbing out in every spelling, links, unknown or inactive plugins: 404); {@code
 * /plugins/<id>/frame/<path>} answers the host's frame document with its sandbox policy; {@code
 * /api/plugins} lists the pages of active plugins. The frames in Chromium: cas-web-tests'
 * PluginFrameIT.
 */
class PluginAssetsTest {

  private static final String MANIFEST =
      """
      {
        "id": "pages",
        "name": "Pages",
        "version": "1.0.0",
        "description": "A frontend-only plugin.",
        "frontend": {
          "components": [ { "tag": "pages-view", "module": "view.js" } ],
          "routes": [
            { "path": "/notes", "title": "Notes <b>&amp;</b> more", "component": "pages-view" },
            { "path": "/ops/board", "title": "Board", "component": "pages-view", "roles": ["operator"] }
          ]
        }
      }
      """;

  private static final String VIEW_JS =
      "customElements.define('pages-view', class extends HTMLElement {});\n";

  @TempDir static Path tmp;
  static TestHost host;

  @BeforeAll
  static void start() throws IOException {
    host = TestHost.embedded(tmp.resolve("host"));
    Path folder = tmp.resolve("pages");
    write(folder.resolve("plugin.json"), MANIFEST);
    write(folder.resolve("frontend/dist/view.js"), VIEW_JS);
    write(folder.resolve("frontend/dist/css/view.css"), "p { color: red; }\n");
    write(folder.resolve("frontend/dist/page.html"), "<p>hi</p>\n");
    write(folder.resolve("frontend/dist/data.json"), "{}\n");
    write(folder.resolve("frontend/dist/blob.bin"), "raw\n");
    write(folder.resolve("frontend/src/view.ts"), "// source\n");
    Path zip =
        PackageWriter.builder()
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
            .build()
            .write(folder, tmp.resolve("pages-v1.0.0.zip"))
            .zip();
    TestHost.Response r = host.importZip(zip, "");
    assertThat(r.status()).as(r.text()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void anActivePluginsFrontendFilesAreServedWithTheirTypesAndPublicAssetHeaders() {
    Map<String, String> types =
        Map.of(
            "view.js", "text/javascript; charset=utf-8",
            "css/view.css", "text/css; charset=utf-8",
            "page.html", "text/html; charset=utf-8",
            "data.json", "application/json",
            "blob.bin", "application/octet-stream");
    types.forEach(
        (file, type) -> {
          TestHost.Response r = host.get("/plugins/pages/assets/" + file, null);
          assertThat(r.status()).as(file).isEqualTo(200);
          assertThat(header(r, "content-type")).as(file).isEqualTo(type);
          assertThat(header(r, "access-control-allow-origin")).as(file).isEqualTo("*");
          assertThat(header(r, "cross-origin-resource-policy")).as(file).isEqualTo("cross-origin");
          assertThat(header(r, "x-content-type-options")).as(file).isEqualTo("nosniff");
          assertThat(header(r, "cache-control")).as(file).isEqualTo("no-cache");
          assertThat(header(r, "content-security-policy"))
              .as(file)
              .startsWith("sandbox allow-scripts; default-src 'none';")
              .contains("connect-src 'none'");
        });
    TestHost.Response js = host.get("/plugins/pages/assets/view.js", null);
    assertThat(js.text()).isEqualTo(VIEW_JS);
  }

  @Test
  void theEtagIsTheDigestRecordedAtInstallAndAnUnchangedFileIsNotSentAgain() {
    TestHost.Response r = host.get("/plugins/pages/assets/view.js", null);
    String etag = header(r, "etag");
    assertThat(etag)
        .isEqualTo("\"" + ChecksumFile.sha256(VIEW_JS.getBytes(StandardCharsets.UTF_8)) + "\"");

    TestHost.Response again = conditional("/plugins/pages/assets/view.js", etag);
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    TestHost.Response head = host.send("HEAD", "/plugins/pages/assets/view.js", null, null, null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(header(head, "etag")).isEqualTo(etag);
  }

  @Test
  void nothingOutsideFrontendDistIsServedHoweverThePathIsSpelled() throws IOException {
    // Each raw path is sent as is over a socket: no client normalises or refuses it first.
    List<String> attempts =
        List.of(
            "/plugins/pages/assets/../plugin.json",
            "/plugins/pages/assets/../../plugin.json",
            "/plugins/pages/assets/%2e%2e/plugin.json",
            "/plugins/pages/assets/%2E%2E/%2E%2E/plugin.json",
            "/plugins/pages/assets/%252e%252e/plugin.json",
            "/plugins/pages/assets/..%2fplugin.json",
            "/plugins/pages/assets/css%2fview.css",
            "/plugins/pages/assets/css%5cview.css",
            "/plugins/pages/assets/css\\view.css",
            "/plugins/pages/assets/css//view.css",
            "/plugins/pages/assets//view.js",
            "/plugins/pages/assets/./view.js",
            "/plugins/pages/assets/.%2fview.js",
            "/plugins/pages/assets/view.js%00.png",
            "/plugins/pages/assets/",
            "/plugins/pages/assets/../src/view.ts",
            "/plugins/pages/assets/../../checksum.sha256",
            "/plugins/pages/assets/css",
            "/plugins/nope/assets/view.js",
            "/plugins/PAGES/assets/view.js",
            "/plugins/pages/assets/link.js");
    Path dist = installedDist();
    Files.createSymbolicLink(dist.resolve("link.js"), dist.resolve("../../plugin.json"));
    for (String path : attempts) {
      RawAnswer a = raw(path);
      assertThat(a.status()).as(path).isIn(400, 404);
      assertThat(a.body()).as(path).doesNotContain("\"id\"", "source", "frontend/dist");
    }
    // A literal .. is resolved by the server before routing (to /plugins/pages/plugin.json, which
    // nothing answers); an encoded one reaches the asset route, which names what it refused.
    RawAnswer plain = raw("/plugins/pages/assets/%2e%2e/plugin.json");
    assertThat(plain.head()).containsIgnoringCase("content-type: text/plain");
    assertThat(plain.body()).startsWith("no frontend file [/plugins/pages/");
  }

  @Test
  void anInactivePluginServesNoFileNoFrameAndListsNoPage() {
    assertThat(pages()).containsExactly("/notes", "/ops/board");
    TestHost.Response off = host.post("/api/plugins/pages/deactivate", host.adminToken, null);
    assertThat(off.status()).as(off.text()).isEqualTo(200);
    try {
      TestHost.Response asset = host.get("/plugins/pages/assets/view.js", null);
      assertThat(asset.status()).isEqualTo(404);
      assertThat(asset.text()).isEqualTo("no frontend file [/plugins/pages/assets/view.js]");
      TestHost.Response frame = host.get("/plugins/pages/frame/notes", null);
      assertThat(frame.status()).isEqualTo(404);
      assertThat(frame.text()).isEqualTo("no plugin page [/plugins/pages/frame/notes]");
      assertThat(pages()).isEmpty();
    } finally {
      TestHost.Response on = host.post("/api/plugins/pages/activate", host.adminToken, null);
      assertThat(on.status()).as(on.text()).isEqualTo(200);
    }
    assertThat(host.get("/plugins/pages/assets/view.js", null).status()).isEqualTo(200);
  }

  @Test
  void theFrameIsTheHostsOwnDocumentUnderTheSandboxPolicy() {
    TestHost.Response r = host.get("/plugins/pages/frame/ops/board", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(header(r, "content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(header(r, "content-security-policy"))
        .isEqualTo(
            "sandbox allow-scripts allow-forms; default-src 'none'; script-src 'self';"
                + " style-src 'self'; img-src 'self' data: blob:; connect-src 'none';"
                + " font-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
        .isEqualTo(PluginFrames.FRAME_POLICY);
    assertThat(header(r, "x-frame-options")).isEqualTo("SAMEORIGIN");
    String html = r.text();
    assertThat(html)
        .contains(
            "<body data-plugin=\"pages\" data-route=\"/ops/board\""
                + " data-module=\"/plugins/pages/assets/view.js\" data-tag=\"pages-view\">");
    Matcher scripts = Pattern.compile("<script[^>]*>([^<]*)</script>").matcher(html);
    int count = 0;
    while (scripts.find()) {
      assertThat(scripts.group())
          .isEqualTo("<script type=\"module\" src=\"/ui/plugin-frame.js\"></script>");
      count++;
    }
    assertThat(count).isEqualTo(1);

    TestHost.Response notes = host.get("/plugins/pages/frame/notes", null);
    assertThat(notes.text()).contains("<title>Notes &lt;b&gt;&amp;amp;&lt;/b&gt; more</title>");
    for (String missing :
        List.of(
            "/plugins/pages/frame/none", "/plugins/pages/frame/notes/", "/plugins/pages/frame")) {
      assertThat(host.get(missing, null).status()).as(missing).isEqualTo(404);
    }
  }

  @Test
  void theFrameScriptsAreServedToOpaqueOriginsAndNothingElseUnderUi() {
    for (String file : List.of("plugin-frame.js", "plugin-host.js")) {
      TestHost.Response r = host.get("/ui/" + file, null);
      assertThat(r.status()).as(file).isEqualTo(200);
      assertThat(header(r, "content-type")).isEqualTo("text/javascript; charset=utf-8");
      assertThat(header(r, "access-control-allow-origin")).isEqualTo("*");
      assertThat(header(r, "cache-control")).isEqualTo("no-cache");
      TestHost.Response again = conditional("/ui/" + file, header(r, "etag"));
      assertThat(again.status()).as(file).isEqualTo(304);
      assertThat(again.body()).isEmpty();
    }
    assertThat(host.get("/ui/plugin-frame.css", null).status()).isEqualTo(200);
    assertThat(host.get("/ui/plugin-nope.js", null).status()).isEqualTo(404);
  }

  /**
   * A plugin page's bridge keeps its calls under {@code /api/plugins/<id>/} by the path's text; the
   * router reads {@code ..;} and {@code %2e%2e} as dot segments. The host refuses such paths
   * itself, before authentication, so no client can be steered to {@code /api/users} that way.
   */
  @Test
  void aPathTheRouterWouldReadAsAnotherIsRefused() throws IOException {
    for (String path :
        List.of(
            "/api/plugins/pages/x/..;/..;/..;/users",
            "/api/plugins/pages/x/%2e%2e/%2e%2e/%2e%2e/users",
            "/api/plugins/pages/config;x")) {
      RawAnswer a = raw(path);
      assertThat(a.status()).as(path).isEqualTo(400);
      assertThat(a.body()).as(path).contains("BAD_REQUEST").contains("would read as another path");
    }
    assertThat(raw("/api/users").status()).isEqualTo(401);
  }

  /**
   * The bridge lets a plugin page subscribe to 20 topics; a page that packs more into one topic
   * with commas finds the stream refuses them too.
   */
  @Test
  void anEventStreamFollowsTwentyTopicsAtMost() {
    String topics =
        java.util.stream.IntStream.range(0, 21)
            .mapToObj(i -> "plugin:pages:e" + i)
            .collect(java.util.stream.Collectors.joining(","));
    TestHost.Response r = host.get("/api/events/stream?topics=" + topics, host.adminToken);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.text()).contains("at most 20 topics, not 21");
  }

  private static List<String> pages() {
    TestHost.Response r = host.get("/api/plugins", host.adminToken);
    for (var p : r.data()) {
      if (p.get("id").asString().equals("pages")) {
        return Stream.of(p.get("pages").spliterator())
            .flatMap(s -> java.util.stream.StreamSupport.stream(s, false))
            .map(n -> n.get("path").asString())
            .toList();
      }
    }
    throw new AssertionError("plugin pages is not listed: " + r.text());
  }

  private static Path installedDist() throws IOException {
    try (Stream<Path> walk = Files.walk(host.dataDir.resolve("plugins/pages"))) {
      return walk.filter(p -> p.endsWith("frontend/dist")).findFirst().orElseThrow();
    }
  }

  private static TestHost.Response conditional(String path, String etag) {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      var req =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(host.base() + path))
              .header("If-None-Match", etag)
              .build();
      var r = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      return new TestHost.Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record RawAnswer(int status, String head, String body) {}

  private static RawAnswer raw(String path) throws IOException {
    int port = Integer.parseInt(host.base().substring(host.base().lastIndexOf(':') + 1));
    try (Socket s = new Socket("localhost", port)) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      // The head, then as many bytes as Content-Length says (the server may keep the connection).
      java.io.ByteArrayOutputStream headBytes = new java.io.ByteArrayOutputStream();
      while (!headBytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        headBytes.write(b);
      }
      String head = headBytes.toString(StandardCharsets.ISO_8859_1);
      Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      String body =
          length.find()
              ? new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8)
              : "";
      return new RawAnswer(Integer.parseInt(head.substring(9, 12)), head, body);
    }
  }

  private static String header(TestHost.Response r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
