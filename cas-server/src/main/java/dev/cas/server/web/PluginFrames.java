package dev.cas.server.web;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.PluginRuntime;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The documents plugin pages run in: {@code GET /plugins/<id>/frame/<route path>} answers a page
 * the host writes itself (no inline script; the plugin's id, route, module and tag as data
 * attributes) that loads {@code /ui/plugin-frame.js}, which loads the plugin's module and shows its
 * component. The admin page mounts it in {@code <iframe sandbox="allow-scripts allow-forms">}.
 *
 * <p>Threat: plugin code using the administrator's session. The frame's policy starts with {@code
 * sandbox allow-scripts allow-forms} (no {@code allow-same-origin}), so even opened on its own the
 * document has an opaque origin: no cookie, no storage, no access to the page; {@code connect-src
 * 'none'} keeps it from reaching any URL itself. What it may do goes through the page's bridge
 * (plugin-frames.js), which only calls the plugin's own API.
 */
public final class PluginFrames {

  /** The frame document's policy. */
  public static final String FRAME_POLICY =
      "sandbox allow-scripts allow-forms; default-src 'none'; script-src 'self'; style-src 'self';"
          + " img-src 'self' data: blob:; connect-src 'none'; font-src 'self';"
          + " frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

  private static final String UI_ROOT = "dev/cas/server/web/frame/";

  /** The frame's own scripts and stylesheet, served to opaque-origin documents. */
  private static final Map<String, String> UI_FILES =
      Map.of(
          "plugin-frame.js", "text/javascript; charset=utf-8",
          "plugin-host.js", "text/javascript; charset=utf-8",
          "plugin-frame.css", "text/css; charset=utf-8");

  private static final Pattern FRAME_PATH =
      Pattern.compile("/plugins/([a-z][a-z0-9]*(?:[.-][a-z0-9]+)*)/frame(/[a-z0-9][a-z0-9/-]*)");

  private final PluginRuntime runtime;
  private final ClassPathFiles ui = new ClassPathFiles();

  /** Frames of the plugins this runtime runs. */
  public PluginFrames(PluginRuntime runtime) {
    this.runtime = runtime;
  }

  /** Answers {@code GET|HEAD /plugins/<id>/frame/<route path>}. */
  public void frame(ServerRequest req, ServerResponse res) {
    var m = FRAME_PATH.matcher(req.path().rawPath());
    Optional<PluginPackage> pkg =
        m.matches() ? PluginAssets.activePackage(runtime, m.group(1)) : Optional.empty();
    Optional<Manifest.Route> route = pkg.flatMap(p -> p.manifest().frontend().route(m.group(2)));
    Optional<Manifest.Component> component =
        route.flatMap(r -> pkg.get().manifest().frontend().component(r.component()));
    SecurityHeaders.common().forEach(res::header);
    res.header("X-Frame-Options", "SAMEORIGIN");
    res.header("Content-Security-Policy", FRAME_POLICY);
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    if (component.isEmpty()) {
      PluginAssets.notFound(res, "no plugin page [" + req.path().path() + "]");
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    res.send(document(pkg.get().manifest(), route.get(), component.get()));
  }

  /**
   * Answers {@code GET|HEAD /ui/plugin-frame.js}, {@code plugin-host.js}, {@code plugin-frame.css}.
   */
  public void ui(ServerRequest req, ServerResponse res) {
    String path = req.path().rawPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    PluginAssets.headers(res);
    boolean known = path.equals("/ui/" + name) && UI_FILES.containsKey(name);
    ClassPathFiles.send(
        req,
        res,
        known ? ui.get(UI_ROOT + name) : Optional.empty(),
        UI_FILES.get(name),
        "no frame file [" + req.path().path() + "]");
  }

  private static String document(
      Manifest manifest, Manifest.Route route, Manifest.Component component) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%s</title>
        <link rel="stylesheet" href="/ui/plugin-frame.css">
        <script type="module" src="/ui/plugin-frame.js"></script>
        </head>
        <body data-plugin="%s" data-route="%s" data-module="%s" data-tag="%s">
        </body>
        </html>
        """
        .formatted(
            escape(route.title()),
            escape(manifest.id()),
            escape(route.path()),
            escape("/plugins/" + manifest.id() + "/assets/" + component.module()),
            escape(component.tag()));
  }

  /**
   * Threat: a route title with markup; the manifest's patterns already rule it out for the rest.
   */
  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
