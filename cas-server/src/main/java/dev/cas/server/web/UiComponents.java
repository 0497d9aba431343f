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
 * The web components of {@code cas-ui-components} at {@code /ui/components/<name>.js}, and their
 * gallery page at {@code /ui/gallery}.
 *
 * <p>Plugin frontends run in sandboxed frames of an opaque origin and import these modules from the
 * host, so the modules are answered with {@code Access-Control-Allow-Origin: *} (a module import is
 * a CORS request; they hold no secret and are sent without cookies) and {@code
 * Cross-Origin-Resource-Policy: cross-origin}. Each answer has its content type, {@code nosniff},
 * an ETag (a conditional request gets 304) and {@code no-cache} (names carry no version: an
 * upgraded host never serves a stale file).
 */
public final class UiComponents {

  private static final String COMPONENTS = "dev/cas/ui/components/";
  private static final String GALLERY = "dev/cas/server/web/gallery.html";

  /**
   * Threat: a path such as {@code /ui/components/..%2F..%2Flogback.xml} reading other class path
   * resources. Only plain names of JavaScript files are looked up, and only in the components'
   * folder.
   */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.js");

  private record Asset(byte[] body, String etag) {}

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /** Answers {@code GET|HEAD /ui/components/<name>.js}. */
  public void component(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    String name = path.substring(path.lastIndexOf('/') + 1);
    SecurityHeaders.common().forEach(res::header);
    res.header("Access-Control-Allow-Origin", "*");
    res.header("Cross-Origin-Resource-Policy", "cross-origin");
    Optional<Asset> asset =
        path.equals("/ui/components/" + name) && NAME.matcher(name).matches()
            ? cache.computeIfAbsent(COMPONENTS + name, UiComponents::load)
            : Optional.empty();
    send(req, res, asset, "text/javascript; charset=utf-8", "no UI component [" + path + "]");
  }

  /** Answers {@code GET|HEAD /ui/gallery}: a host page under the admin page's policy. */
  public void gallery(ServerRequest req, ServerResponse res) {
    SecurityHeaders.page().forEach(res::header);
    send(
        req,
        res,
        cache.computeIfAbsent(GALLERY, UiComponents::load),
        "text/html; charset=utf-8",
        "no gallery page");
  }

  private static void send(
      ServerRequest req,
      ServerResponse res,
      Optional<Asset> asset,
      String contentType,
      String missing) {
    if (asset.isEmpty()) {
      res.status(Status.NOT_FOUND_404);
      res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      res.send(missing);
      return;
    }
    Asset a = asset.get();
    res.header(HeaderNames.ETAG, a.etag());
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    boolean fresh =
        req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> v.contains(a.etag())).orElse(false);
    if (fresh) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.send(a.body());
  }

  private static Optional<Asset> load(String resource) {
    try (InputStream in = UiComponents.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String hash =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
      return Optional.of(new Asset(body, "\"" + hash + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
