package dev.cas.server.http;

import dev.cas.plugin.api.UserInfo;
import dev.cas.server.HostException;
import dev.cas.server.security.RequestContext;
import dev.cas.server.security.SessionStore;
import dev.cas.server.security.UserStore;
import dev.cas.server.web.BrowserSessions;
import dev.cas.server.web.SecurityHeaders;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host's HTTP API on Helidon: one handler that authenticates, finds the route in a plain table,
 * checks the role, runs the action and writes the JSON envelope {@code {success, data, message,
 * error, timestamp}}. Keeping the table here (rather than in Helidon's routing) makes every route,
 * its role and its handler visible in one place.
 */
public final class HttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  public static final JsonMapper JSON = JsonMapper.builder().build();

  /** Who may call a route. */
  public enum Role {
    PUBLIC,
    USER,
    OPERATOR,
    ADMIN;

    boolean allows(UserInfo user) {
      return switch (this) {
        case PUBLIC, USER -> true;
        case OPERATOR -> user.roles().contains("operator") || user.roles().contains("admin");
        case ADMIN -> user.roles().contains("admin");
      };
    }
  }

  /** One request, as the actions see it. */
  record Call(
      String method,
      String path,
      Map<String, String> params,
      Map<String, List<String>> query,
      Map<String, String> headers,
      Optional<UserInfo> user,
      String remote,
      ServerRequest raw,
      Optional<String> sessionToken) {

    String param(String name) {
      return params.get(name);
    }

    Optional<String> queryParam(String name) {
      List<String> v = query.get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    /** The client's IP address, without the port (a proxy in front is not looked through). */
    String clientAddress() {
      return raw.remotePeer().address() instanceof java.net.InetSocketAddress a
              && a.getAddress() != null
          ? a.getAddress().getHostAddress()
          : remote;
    }

    boolean flag(String name) {
      return queryParam(name).map(v -> v.isEmpty() || Boolean.parseBoolean(v)).orElse(false);
    }

    InputStream body() {
      return raw.content().inputStream();
    }

    byte[] bodyBytes() throws java.io.IOException {
      try (InputStream in = body()) {
        return in.readAllBytes();
      }
    }
  }

  /** What an action answers. */
  sealed interface Reply {}

  /** A JSON envelope. */
  record Json(int status, Object data, String message) implements Reply {}

  /** Raw bytes (a plugin's own response). */
  record Raw(int status, String contentType, byte[] body, Map<String, String> headers)
      implements Reply {}

  /** A file to stream and then delete. */
  record FileReply(Path file, String contentType, String fileName) implements Reply {}

  /** Another reply with extra headers (e.g. the session's Set-Cookie). */
  record WithHeaders(Reply reply, Map<String, String> headers) implements Reply {}

  /**
   * A stream written until the writer returns (server-sent events); the writer ends when the client
   * goes away.
   */
  record StreamReply(String contentType, StreamWriter writer) implements Reply {}

  /** Writes a streamed body; an IOException means the client went away. */
  @FunctionalInterface
  interface StreamWriter {
    void write(OutputStream out) throws java.io.IOException;
  }

  @FunctionalInterface
  interface Action {
    Reply handle(Call call) throws Exception;
  }

  private record Route(String method, String[] segments, Role role, Action action) {}

  private final List<Route> routes = new ArrayList<>();
  private final UserStore users;
  private final SessionStore sessions;
  private Action fallback;

  HttpApi(UserStore users, SessionStore sessions) {
    this.users = users;
    this.sessions = sessions;
  }

  HttpApi route(String method, String pattern, Role role, Action action) {
    routes.add(new Route(method, pattern.substring(1).split("/"), role, action));
    return this;
  }

  /** The action for {@code /api/plugins/{id}/**} paths no route claims: the plugins' own routes. */
  HttpApi fallback(Action action) {
    this.fallback = action;
    return this;
  }

  /**
   * Threat: a path whose text names one endpoint while the host routes it to another. The router
   * reads {@code req.path().path()}, which drops each segment's {@code ;parameters}, decodes {@code
   * %xx} and then resolves {@code .} and {@code ..}: {@code /api/plugins/p/x/..;/..;/users} is
   * {@code /api/users}. A client that checks the raw text (a plugin page's bridge keeping its calls
   * under {@code /api/plugins/<id>/}) would be steered elsewhere. No client of this API needs such
   * a path, so the host refuses it whoever sends it.
   *
   * @return the first such raw segment, or null when the path reads the same both ways
   */
  static String unclearSegment(String rawPath) {
    for (String segment : rawPath.split("/", -1)) {
      if (segment.indexOf(';') >= 0) {
        return segment;
      }
      String decoded;
      try {
        decoded = java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return segment;
      }
      if (decoded.equals(".")
          || decoded.equals("..")
          || decoded.indexOf('/') >= 0
          || decoded.indexOf('\\') >= 0
          || decoded.indexOf(';') >= 0
          || decoded.indexOf('\0') >= 0) {
        return segment;
      }
    }
    return null;
  }

  /** The Helidon handler. */
  public void handle(ServerRequest req, ServerResponse res) {
    String method = req.prologue().method().text().toUpperCase(Locale.ROOT);
    String path = req.path().path();
    String remote = String.valueOf(req.remotePeer().address());
    Optional<UserInfo> user = Optional.empty();
    try {
      String raw = req.path().rawPath();
      String unclear = raw.startsWith("/api/") ? unclearSegment(raw) : null;
      if (unclear != null) {
        throw new HostException(
            HostException.Reason.BAD_REQUEST,
            "the path has a segment the host would read as another path ["
                + unclear
                + "]: send it without ';' parameters, '.' or '..' segments (plain or"
                + " percent-encoded) and encoded '/' or '\\'");
      }
      Auth auth = authenticate(req);
      user = auth.user();
      RequestContext.set(user, remote);
      Map<String, String> params = new HashMap<>();
      Route route = find(method, path, params);
      Action action;
      Role role;
      if (route != null) {
        action = route.action;
        role = route.role;
      } else if (fallback != null && matchPlugin(path, params)) {
        action = fallback;
        role = Role.USER;
      } else {
        write(res, new Json(404, null, "no route for " + method + " " + path), null);
        return;
      }
      if (role != Role.PUBLIC && user.isEmpty()) {
        throw new HostException(
            HostException.Reason.UNAUTHENTICATED,
            auth.sessionEnded()
                ? "the session has ended; sign in again"
                : "authentication required: send Authorization: Bearer <token> (POST /api/auth/login gives one)");
      }
      if (role != Role.PUBLIC && auth.sessionToken().isPresent()) {
        requireCsrfToken(method, auth.sessionToken().get(), req);
      }
      if (user.isPresent() && !role.allows(user.get())) {
        throw new HostException(
            HostException.Reason.FORBIDDEN,
            "user ["
                + user.get().username()
                + "] lacks role ["
                + role.name().toLowerCase(Locale.ROOT)
                + "] for "
                + method
                + " "
                + path);
      }
      Call call =
          new Call(
              method,
              path,
              Map.copyOf(params),
              query(req),
              headers(req),
              user,
              remote,
              req,
              auth.sessionToken());
      write(res, action.handle(call), null);
    } catch (Throwable e) {
      ApiErrors.ApiError error = ApiErrors.of(e);
      // A refusal the host chose (such as 503 for an inactive plugin) is no server failure.
      if (error.status() >= 500 && !(e instanceof HostException)) {
        LOG.error("{} {} failed", method, path, e);
      }
      if (e instanceof HostException he) {
        he.retryAfter()
            .ifPresent(d -> res.header("Retry-After", String.valueOf(Math.max(1, d.toSeconds()))));
      }
      write(res, new Json(error.status(), null, error.message()), error);
    } finally {
      RequestContext.clear();
    }
  }

  private static boolean matchPlugin(String path, Map<String, String> params) {
    String[] parts = path.split("/", 5);
    // Only /api/plugins/{id}/** belongs to plugins: /api/users/x/y must not reach plugin [x].
    if (parts.length < 4
        || !parts[1].equals("api")
        || !parts[2].equals("plugins")
        || parts[3].isEmpty()) {
      return false;
    }
    params.put("id", parts[3]);
    params.put("rest", parts.length == 5 ? "/" + parts[4] : "/");
    return true;
  }

  private Route find(String method, String path, Map<String, String> params) {
    String[] actual = path.substring(1).split("/");
    for (Route r : routes) {
      if (!r.method.equals(method) || r.segments.length != actual.length) {
        continue;
      }
      Map<String, String> found = new HashMap<>();
      boolean ok = true;
      for (int i = 0; i < actual.length && ok; i++) {
        String s = r.segments[i];
        if (s.startsWith("{")) {
          found.put(s.substring(1, s.length() - 1), actual[i]);
        } else {
          ok = s.equals(actual[i]);
        }
      }
      if (ok) {
        params.putAll(found);
        return r;
      }
    }
    return null;
  }

  /**
   * Who is calling: a bearer token (the CLI, scripts) or the browser's session cookie.
   *
   * @param sessionToken the cookie's token, when the cookie authenticated the call
   * @param sessionEnded a session cookie was sent but its session is over (expired or signed out)
   */
  private record Auth(
      Optional<UserInfo> user, Optional<String> sessionToken, boolean sessionEnded) {}

  private Auth authenticate(ServerRequest req) {
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()) {
      Optional<String> cookie = BrowserSessions.tokenFrom(req.headers().first(HeaderNames.COOKIE));
      if (cookie.isEmpty()) {
        return new Auth(Optional.empty(), Optional.empty(), false);
      }
      // A stale cookie (expired, idle, signed out, revoked) makes the caller anonymous, not
      // refused:
      // it may be signing in again.
      Optional<UserInfo> user = sessions.use(cookie.get());
      return user.isPresent()
          ? new Auth(user, cookie, false)
          : new Auth(Optional.empty(), Optional.empty(), true);
    }
    String value = header.get();
    if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HostException(
          HostException.Reason.UNAUTHENTICATED, "Authorization must be 'Bearer <token>'");
    }
    return new Auth(
        Optional.of(
            users
                .byToken(value.substring(7).trim())
                .orElseThrow(
                    () ->
                        new HostException(
                            HostException.Reason.UNAUTHENTICATED,
                            "the token is unknown or expired"))),
        Optional.empty(),
        false);
  }

  /**
   * Threat: another site making a signed-in browser send a state-changing request with its cookie
   * (CSRF). Such a request must carry the session's CSRF token, which only the host's own page can
   * read.
   */
  private static void requireCsrfToken(String method, String sessionToken, ServerRequest req) {
    BrowserSessions.checkCsrf(
            method,
            sessionToken,
            req.headers().first(HeaderNames.create(BrowserSessions.CSRF_HEADER)))
        .ifPresent(
            problem -> {
              throw new HostException(
                  problem == BrowserSessions.CsrfProblem.MISSING
                      ? HostException.Reason.CSRF_TOKEN_MISSING
                      : HostException.Reason.CSRF_TOKEN_INVALID,
                  problem.message());
            });
  }

  private static Map<String, List<String>> query(ServerRequest req) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    for (String name : req.query().names()) {
      q.put(name, req.query().all(name));
    }
    return q;
  }

  private static Map<String, String> headers(ServerRequest req) {
    Map<String, String> h = new LinkedHashMap<>();
    req.headers().forEach(header -> h.put(header.name().toLowerCase(Locale.ROOT), header.get()));
    return h;
  }

  private static void write(ServerResponse res, Reply reply, ApiErrors.ApiError error) {
    SecurityHeaders.common().forEach(res::header);
    try {
      switch (reply) {
        case WithHeaders w -> {
          w.headers().forEach(res::header);
          write(res, w.reply(), error);
        }
        case Json j -> {
          Map<String, Object> envelope = new LinkedHashMap<>();
          envelope.put("success", error == null && j.status() < 400);
          envelope.put("data", j.data());
          envelope.put("message", j.message());
          envelope.put(
              "error",
              error != null
                  ? Map.of("code", error.code(), "status", error.status())
                  : j.status() >= 400
                      ? Map.of(
                          "code",
                          j.status() == 404 ? "NOT_FOUND" : "HTTP_" + j.status(),
                          "status",
                          j.status())
                      : null);
          envelope.put("timestamp", Instant.now().toString());
          res.status(Status.create(j.status()));
          res.header(HeaderNames.CONTENT_TYPE, "application/json");
          // Answers are per caller (a session's CSRF token among them): no cache keeps them.
          res.header(HeaderNames.CACHE_CONTROL, "no-store");
          res.send(JSON.writeValueAsBytes(envelope));
        }
        case Raw r -> {
          res.status(Status.create(r.status()));
          res.header(HeaderNames.CONTENT_TYPE, r.contentType());
          r.headers().forEach(res::header);
          res.send(r.body());
        }
        case FileReply f -> {
          res.status(Status.OK_200);
          res.header(HeaderNames.CONTENT_TYPE, f.contentType());
          res.header(
              HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + f.fileName() + "\"");
          res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(Files.size(f.file())));
          try (OutputStream out = res.outputStream()) {
            Files.copy(f.file(), out);
          } finally {
            Files.deleteIfExists(f.file());
          }
        }
        case StreamReply st -> {
          res.status(Status.OK_200);
          res.header(HeaderNames.CONTENT_TYPE, st.contentType());
          res.header(HeaderNames.CACHE_CONTROL, "no-cache");
          OutputStream out = res.outputStream();
          try {
            st.writer().write(out);
            out.close();
          } catch (java.io.IOException | java.io.UncheckedIOException gone) {
            // The client hung up: the stream's normal end, nothing to answer.
            LOG.debug("stream ended: {}", gone.toString());
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
