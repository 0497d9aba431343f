package dev.cas.server.web;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
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

  private final ClassPathFiles files = new ClassPathFiles();

  /** Answers {@code GET|HEAD /ui/components/<name>.js}. */
  public void component(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    String name = path.substring(path.lastIndexOf('/') + 1);
    SecurityHeaders.common().forEach(res::header);
    res.header("Access-Control-Allow-Origin", "*");
    res.header("Cross-Origin-Resource-Policy", "cross-origin");
    ClassPathFiles.send(
        req,
        res,
        path.equals("/ui/components/" + name) && NAME.matcher(name).matches()
            ? files.get(COMPONENTS + name)
            : Optional.empty(),
        "text/javascript; charset=utf-8",
        "no UI component [" + path + "]");
  }

  /** Answers {@code GET|HEAD /ui/gallery}: a host page under the admin page's policy. */
  public void gallery(ServerRequest req, ServerResponse res) {
    SecurityHeaders.page().forEach(res::header);
    ClassPathFiles.send(
        req, res, files.get(GALLERY), "text/html; charset=utf-8", "no gallery page");
  }
}
