package dev.cas.server.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The admin page's static files, served by the host on its own port: {@code /} is {@code
 * index.html}, {@code /assets/<name>} the modules, stylesheet and icon, all from the class path
 * ({@code dev/cas/server/web/}), so the page works offline and needs nothing from a CDN. Each
 * answer carries its content type, an ETag (a conditional request gets 304) and the page's security
 * headers.
 */
public final class WebAssets {

  private static final String ROOT = "dev/cas/server/web/";

  /**
   * Threat: a path such as {@code /assets/../../logback.xml} reading other class path resources.
   * Only plain names of the page's own kinds of file are looked up.
   */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|svg|html)");

  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "html", "text/html; charset=utf-8");

  private record Asset(byte[] body, String contentType, String etag) {}

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /** Answers {@code GET|HEAD /} and {@code GET|HEAD /assets/<name>}. */
  public void handle(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    String name = path.equals("/") ? "index.html" : path.substring("/assets/".length());
    SecurityHeaders.page().forEach(res::header);
    Optional<Asset> asset =
        NAME.matcher(name).matches()
            ? cache.computeIfAbsent(name, WebAssets::load)
            : Optional.empty();
    if (asset.isEmpty()) {
      res.status(Status.NOT_FOUND_404);
      res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      res.send("no page asset [" + path + "]");
      return;
    }
    Asset a = asset.get();
    res.header(HeaderNames.ETAG, a.etag());
    // Revalidate every time (names carry no version): an upgraded host never serves a stale page,
    // and an unchanged file costs a 304.
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    boolean fresh =
        req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> v.contains(a.etag())).orElse(false);
    if (fresh) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, a.contentType());
    res.send(a.body());
  }

  private static Optional<Asset> load(String name) {
    try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String ext = name.substring(name.lastIndexOf('.') + 1);
      String hash =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
      return Optional.of(new Asset(body, TYPES.get(ext), "\"" + hash + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
