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

/**
 * Files the host serves from its own class path (the admin page, the shared components, the plugin
 * frame's modules): each read once and kept with an ETag of its content. An answer carries the ETag
 * and {@code no-cache} (names carry no version: an upgraded host never serves a stale file, and an
 * unchanged one costs a 304). Callers check names before they look anything up.
 */
final class ClassPathFiles {

  /** A file's bytes and its ETag (the first 128 bits of its SHA-256, quoted). */
  record File(byte[] body, String etag) {}

  private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

  /** The class path resource, or empty when there is none. */
  Optional<File> get(String resource) {
    return cache.computeIfAbsent(resource, ClassPathFiles::load);
  }

  /**
   * Answers {@code file} with its content type, or 304 when the request's {@code If-None-Match} has
   * its ETag, or 404 with {@code missing} as plain text when there is no file. The caller has set
   * the answer's security headers.
   */
  static void send(
      ServerRequest req,
      ServerResponse res,
      Optional<File> file,
      String contentType,
      String missing) {
    if (file.isEmpty()) {
      res.status(Status.NOT_FOUND_404);
      res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      res.send(missing);
      return;
    }
    File f = file.get();
    res.header(HeaderNames.ETAG, f.etag());
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    boolean fresh =
        req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> v.contains(f.etag())).orElse(false);
    if (fresh) {
      res.status(Status.NOT_MODIFIED_304);
      res.send();
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, contentType);
    res.send(f.body());
  }

  private static Optional<File> load(String resource) {
    try (InputStream in = ClassPathFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String hash =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
      return Optional.of(new File(body, "\"" + hash + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
