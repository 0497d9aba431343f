package dev.cas.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host's REST API as the commands use it: JSON envelopes in, {@link Reply} out, and every
 * failure turned into a {@link HostCallException} that names the host. Packages go up and exports
 * come down as streams, with a progress bar on a terminal.
 */
final class HostClient {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** What the host answered: the envelope's {@code data} and {@code message}. */
  record Reply(JsonNode data, String message) {}

  private final URI base;
  private final Optional<String> token;
  private final CliEnvironment env;
  private final HttpClient http;

  HostClient(URI base, Optional<String> token, CliEnvironment env) {
    this.base = base;
    this.token = token;
    this.env = env;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The host's base URL, as messages name it. */
  String host() {
    return base.toString();
  }

  Reply get(String path) {
    return send(request(path).GET());
  }

  Reply post(String path, Object body) {
    return send(json(request(path), body, "POST"));
  }

  Reply put(String path, Object body) {
    return send(json(request(path), body, "PUT"));
  }

  Reply delete(String path) {
    return send(request(path).DELETE());
  }

  /** Sends a package file as the raw ZIP body. */
  Reply upload(String path, Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UsageException("cannot read package [" + file + "]: " + e);
    }
    Progress progress = Progress.start(env, "upload " + file.getFileName(), size);
    try (progress) {
      HttpRequest.BodyPublisher body =
          HttpRequest.BodyPublishers.fromPublisher(
              HttpRequest.BodyPublishers.ofInputStream(
                  () -> {
                    try {
                      return progress.counting(Files.newInputStream(file));
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  }),
              size);
      return send(request(path).header("Content-Type", "application/zip").POST(body));
    }
  }

  /**
   * Downloads a file into {@code out}, or into the working folder under the name the host gives;
   * returns the file written. A refused download leaves no file.
   */
  Path download(String path, Optional<Path> out) {
    HttpResponse<InputStream> r =
        exchange(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() >= 400) {
        throw refusal(r.statusCode(), body.readAllBytes());
      }
      Path target = out.orElseGet(() -> env.workingDir().resolve(fileName(r)));
      long size = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      Path tmp =
          Files.createTempFile(target.toAbsolutePath().getParent(), ".cas-download", ".part");
      try (Progress progress = Progress.start(env, "download " + target.getFileName(), size);
          InputStream in = progress.counting(body);
          OutputStream o = Files.newOutputStream(tmp)) {
        in.transferTo(o);
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new HostCallException(
          HostCallException.Reason.UNREACHABLE,
          "lost the connection to host [" + host() + "] during " + path + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Reads a streamed answer (server-sent events) line by line until the host ends it; a refusal
   * before the stream starts is thrown as for any call.
   */
  void stream(String path, java.util.function.Consumer<String> line) {
    HttpResponse<java.util.stream.Stream<String>> r =
        exchange(
            request(path).header("Accept", "text/event-stream").GET(),
            HttpResponse.BodyHandlers.ofLines());
    try (java.util.stream.Stream<String> lines = r.body()) {
      if (r.statusCode() >= 400) {
        throw refusal(
            r.statusCode(),
            String.join("\n", lines.toList()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      lines.forEach(line);
    } catch (UncheckedIOException e) {
      throw new HostCallException(
          HostCallException.Reason.UNREACHABLE,
          "lost the connection to host [" + host() + "] during " + path + ": " + e.getMessage(),
          e);
    }
  }

  private static String fileName(HttpResponse<?> r) {
    String disposition = r.headers().firstValue("Content-Disposition").orElse("");
    int i = disposition.indexOf("filename=\"");
    String name =
        i < 0 ? "export.zip" : disposition.substring(i + 10, disposition.indexOf('"', i + 10));
    // Threat: a host naming "../x" must not make us write outside the working folder.
    return Path.of(name).getFileName().toString();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private static HttpRequest.Builder json(HttpRequest.Builder b, Object body, String method) {
    if (body == null) {
      return b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return b.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
  }

  private Reply send(HttpRequest.Builder b) {
    HttpResponse<byte[]> r = exchange(b, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() >= 400) {
      throw refusal(r.statusCode(), r.body());
    }
    JsonNode envelope = parse(r.body());
    if (envelope == null) {
      throw new HostCallException(
          HostCallException.Reason.REFUSED,
          "HTTP_" + r.statusCode(),
          "host [" + host() + "] answered something other than the API's JSON");
    }
    return new Reply(envelope.path("data"), envelope.path("message").asString(""));
  }

  private <T> HttpResponse<T> exchange(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
    HttpRequest req = b.build();
    try {
      return http.send(req, handler);
    } catch (ConnectException | HttpTimeoutException e) {
      throw new HostCallException(
          HostCallException.Reason.UNREACHABLE,
          "cannot reach host ["
              + host()
              + "]: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + " (is it running? name another with --host or CAS_HOST)",
          e);
    } catch (IOException e) {
      throw new HostCallException(
          HostCallException.Reason.UNREACHABLE,
          "lost the connection to host ["
              + host()
              + "] during "
              + req.method()
              + " "
              + req.uri().getPath()
              + ": "
              + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for host [" + host() + "]", e);
    }
  }

  /** An error answer: the envelope's code and message; a 401 means the credentials. */
  private HostCallException refusal(int status, byte[] body) {
    JsonNode envelope = parse(body);
    String code =
        envelope == null
            ? "HTTP_" + status
            : envelope.path("error").path("code").asString("HTTP_" + status);
    String message =
        envelope == null ? "HTTP " + status : envelope.path("message").asString("HTTP " + status);
    if (status == 401) {
      return new HostCallException(
          HostCallException.Reason.CREDENTIALS,
          code,
          "host ["
              + host()
              + "] refused the credentials: "
              + message
              + " (cas login --host "
              + host()
              + ")");
    }
    return new HostCallException(
        HostCallException.Reason.REFUSED, code, message + " (host [" + host() + "])");
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (tools.jackson.core.JacksonException e) {
      return null;
    }
  }

  /** Counts bytes read through it (for {@link Progress}). */
  abstract static class CountingStream extends FilterInputStream {
    CountingStream(InputStream in) {
      super(in);
    }

    abstract void counted(long n);

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        counted(n);
      }
      return n;
    }
  }
}
