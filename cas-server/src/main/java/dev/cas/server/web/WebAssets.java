package dev.cas.server.web;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Optional;
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

  private final ClassPathFiles files = new ClassPathFiles();

  /** Answers {@code GET|HEAD /} and {@code GET|HEAD /assets/<name>}. */
  public void handle(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    String name = path.equals("/") ? "index.html" : path.substring("/assets/".length());
    SecurityHeaders.page().forEach(res::header);
    String ext = name.substring(name.lastIndexOf('.') + 1);
    ClassPathFiles.send(
        req,
        res,
        NAME.matcher(name).matches() ? files.get(ROOT + name) : Optional.empty(),
        TYPES.get(ext),
        "no page asset [" + path + "]");
  }
}
