package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real host on a random port with a fresh database, and an HTTP client for it. */
final class TestHost implements AutoCloseable {

  static final String ADMIN_PASSWORD = "admin-test-password";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  final CasServer server;
  final Path dataDir;
  final String dbUrl;
  private final boolean external;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();
  String adminToken;

  private TestHost(CasServer server, Path dataDir, String dbUrl, boolean external) {
    this(server, dataDir, dbUrl, external, server.port());
  }

  private TestHost(CasServer server, Path dataDir, String dbUrl, boolean external, int port) {
    this.server = server;
    this.dataDir = dataDir;
    this.dbUrl = dbUrl;
    this.external = external;
    this.port = port;
  }

  /**
   * A client of a host in another process (started by the test), signed in as admin; {@link
   * #server} is null.
   */
  static TestHost attach(int port, Path dataDir, String dbUrl) {
    TestHost host = new TestHost(null, dataDir, dbUrl, false, port);
    host.adminToken = host.login("admin", ADMIN_PASSWORD);
    return host;
  }

  /** A host on a fresh database of the shared embedded PostgreSQL. */
  static TestHost embedded(Path dataDir) {
    return start(dataDir, TestDatabases.freshEmbedded(), false, Map.of());
  }

  /** A host on a fresh database of the machine's external PostgreSQL. */
  static TestHost external(Path dataDir) {
    return start(dataDir, TestDatabases.freshExternal(), true, Map.of());
  }

  static TestHost start(Path dataDir, String dbUrl, boolean external, Map<String, String> env) {
    try {
      java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
      all.putIfAbsent("CAS_ADMIN_PASSWORD", ADMIN_PASSWORD);
      all.putIfAbsent("CAS_LIFECYCLE_TIMEOUT_SECONDS", "5");
      all.putIfAbsent("CAS_UPGRADE_OBSERVE_SECONDS", "0");
      ServerConfig config =
          ServerConfig.load(
              List.of("--port", "0", "--db", dbUrl, "--data", dataDir.toString()), all);
      TestHost host = new TestHost(CasServer.start(config), dataDir, dbUrl, external);
      host.adminToken = host.login("admin", ADMIN_PASSWORD);
      return host;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String base() {
    return "http://localhost:" + port;
  }

  String login(String user, String password) {
    Response r =
        send(
            "POST",
            "/api/auth/login",
            null,
            "application/json",
            JSON.writeValueAsBytes(Map.of("username", user, "password", password)));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json().get("data").get("token").asString();
  }

  /** A response with its status, bytes and headers. */
  record Response(int status, byte[] body, java.net.http.HttpHeaders headers) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return JSON.readTree(body);
    }

    JsonNode data() {
      return json().get("data");
    }

    String errorCode() {
      JsonNode e = json().get("error");
      return e == null || e.isNull() ? null : e.get("code").asString();
    }
  }

  Response send(String method, String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(String path) {
    return send("GET", path, adminToken, null, null);
  }

  Response get(String path, String token) {
    return send("GET", path, token, null, null);
  }

  Response post(String path, String token, String json) {
    return send(
        "POST",
        path,
        token,
        "application/json",
        json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  Response put(String path, String token, String json) {
    return send(
        "PUT",
        path,
        token,
        "application/json",
        json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Sends a file as the body, streamed from disk (the client holds no copy of it). */
  Response sendFile(String method, String path, String token, String contentType, Path file) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", contentType);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      b.method(method, HttpRequest.BodyPublishers.ofFile(file));
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response delete(String path) {
    return send("DELETE", path, adminToken, null, null);
  }

  Response importZip(Path zip, String query) {
    try {
      return send(
          "POST",
          "/api/plugins/import" + query,
          adminToken,
          "application/zip",
          Files.readAllBytes(zip));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a user with a role and returns a token of theirs. */
  String userToken(String username, String role) {
    server
        .host()
        .users()
        .create(
            username,
            username,
            "",
            ("pw-" + username).toCharArray(),
            java.util.Set.of(role),
            "local");
    return login(username, "pw-" + username);
  }

  @Override
  public void close() {
    if (server == null) {
      return;
    }
    server.close();
    if (external) {
      TestDatabases.dropExternal(dbUrl);
    }
  }
}
