package dev.cas.server.web;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginRuntime;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code GET|HEAD /plugins/<id>/assets/<path>}: the files of an active plugin's {@code
 * frontend/dist/}, as its installed package holds them, for the sandboxed frames its pages run in.
 *
 * <p>These files are public (docs/FORMAT.md, "Frontend"): the frames have an opaque origin and load
 * module scripts in CORS mode, so every answer says {@code Access-Control-Allow-Origin: *} and
 * {@code Cross-Origin-Resource-Policy: cross-origin}. Each also carries a {@code
 * Content-Security-Policy} that starts with {@code sandbox}: an HTML file of a plugin opened as a
 * page of its own runs in an opaque origin too, never as the host's page.
 */
public final class PluginAssets {

  /** The policy of every asset answer; it only matters when a browser shows one as a page. */
  static final String ASSET_POLICY =
      "sandbox allow-scripts; default-src 'none'; script-src 'self'; style-src 'self';"
          + " img-src 'self' data: blob:; font-src 'self'; connect-src 'none'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  private static final String PREFIX = "/plugins/";
  private static final String DIST = "frontend/dist/";

  /**
   * Threat: a path that climbs out of {@code frontend/dist/} ({@code ..}, an encoded {@code %2e%2e}
   * or {@code %2f}, a backslash, an empty segment) to another file of the package or of the host.
   * Only segments of plain file-name characters that do not start with a dot pass, checked on the
   * path as the client sent it, before any decoding.
   */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("ttf", "font/ttf"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("wasm", "application/wasm"));

  private final PluginRuntime runtime;

  /** The digests of each installed folder's {@code checksum.sha256}, by folder. */
  private final Map<Path, Map<String, String>> digests = new ConcurrentHashMap<>();

  /** Serves the frontend files of the plugins this runtime runs. */
  public PluginAssets(PluginRuntime runtime) {
    this.runtime = runtime;
  }

  /** Answers {@code GET|HEAD /plugins/<id>/assets/<path>}. */
  public void handle(ServerRequest req, ServerResponse res) {
    String raw = req.path().rawPath();
    headers(res);
    Optional<Located> found = find(raw);
    if (found.isEmpty()) {
      notFound(res, "no frontend file [" + req.path().path() + "]");
      return;
    }
    Path f = found.get().file();
    String name = f.getFileName().toString();
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String etag = "\"" + etagOf(found.get()) + "\"";
    res.header(HeaderNames.ETAG, etag);
    boolean fresh =
        req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> v.contains(etag)).orElse(false);
    if (fresh) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"));
    try {
      byte[] body = Files.readAllBytes(f);
      if (req.prologue().method() == Method.HEAD) {
        res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
        res.send();
      } else {
        res.send(body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The headers of every answer, a refusal too. */
  static void headers(ServerResponse res) {
    SecurityHeaders.common().forEach(res::header);
    res.header("Content-Security-Policy", ASSET_POLICY);
    res.header("Access-Control-Allow-Origin", "*");
    res.header("Cross-Origin-Resource-Policy", "cross-origin");
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
  }

  static void notFound(ServerResponse res, String message) {
    res.status(Status.NOT_FOUND_404);
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.send(message);
  }

  /**
   * The file a raw request path names, when it is a regular file in the {@code frontend/dist/} of
   * an active plugin.
   */
  private Optional<Located> find(String raw) {
    if (!raw.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = raw.substring(PREFIX.length()).split("/", -1);
    if (parts.length < 3 || !ID.matcher(parts[0]).matches() || !parts[1].equals("assets")) {
      return Optional.empty();
    }
    StringBuilder relative = new StringBuilder();
    for (int i = 2; i < parts.length; i++) {
      if (!SEGMENT.matcher(parts[i]).matches()) {
        return Optional.empty();
      }
      relative.append(i == 2 ? "" : "/").append(parts[i]);
    }
    return activePackage(runtime, parts[0]).flatMap(pkg -> inDist(pkg.root(), relative.toString()));
  }

  /** The package of a plugin that is active now; an inactive or failed one serves nothing. */
  static Optional<PluginPackage> activePackage(PluginRuntime runtime, String id) {
    boolean active = runtime.find(id).map(p -> p.state() == PluginState.ACTIVE).orElse(false);
    return active ? runtime.packageOf(id) : Optional.empty();
  }

  /**
   * Threat: a link inside {@code frontend/dist/} (installed folders are verified to hold none, but
   * a folder could be changed on disk) leading out of it. The file's real path must lie in the real
   * path of {@code dist}, and it must be a regular file, not followed through a link.
   */
  private static Optional<Located> inDist(Path root, String relative) {
    try {
      Path realRoot = root.toRealPath();
      Path file = realRoot.resolve(DIST).resolve(relative);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      Path real = file.toRealPath();
      return real.startsWith(realRoot.resolve(DIST).toRealPath())
          ? Optional.of(new Located(realRoot, DIST + relative, real))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A file found: the package's folder, its path in the package, and where it is. */
  private record Located(Path root, String packagePath, Path file) {}

  /**
   * The file's SHA-256 as the package's {@code checksum.sha256} recorded it at install (the folder
   * is verified against it at start), else computed now.
   */
  private String etagOf(Located found) {
    Map<String, String> byPath =
        digests.computeIfAbsent(
            found.root(),
            r -> {
              Map<String, String> m = new HashMap<>();
              try {
                ChecksumFile.parse(Files.readAllBytes(r.resolve("checksum.sha256")))
                    .entries()
                    .forEach(e -> m.put(e.path(), e.sha256()));
              } catch (IOException e) {
                // No list to read (a folder not made by a reader): each file is hashed instead.
              }
              return m;
            });
    String digest = byPath.get(found.packagePath());
    return digest != null ? digest : ChecksumFile.sha256(found.file());
  }
}
