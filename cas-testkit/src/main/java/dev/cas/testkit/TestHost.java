package dev.cas.testkit;

import dev.cas.server.CasServer;
import dev.cas.server.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real host for a plugin's tests: the server on a random port, on a fresh database of an embedded
 * PostgreSQL shared by the whole test JVM (or of an external one, given its JDBC URL). Everything
 * goes through the REST API, as a client would use it.
 *
 * <pre>{@code
 * try (TestHost host = TestHost.start(tempDir)) {
 *   host.install(Path.of("target/text-block-v1.0.0.zip"));
 *   String ada = host.createUser("ada", "user");
 *   TestHost.Response r = host.post("/api/plugins/text-block/blocks", ada, "{\"content\": \"hi\"}");
 * }
 * }</pre>
 */
public final class TestHost implements AutoCloseable {

  /** The password of {@code admin} on a test host. */
  public static final String ADMIN_PASSWORD = "testkit-admin-password";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres embedded;

  private final CasServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String adminToken;

  private TestHost(CasServer server) {
    this.server = server;
    this.adminToken = login("admin", ADMIN_PASSWORD);
  }

  /**
   * A host on a fresh database of the test JVM's embedded PostgreSQL, data under {@code dataDir}.
   *
   * @param dataDir where the host keeps its data
   * @return the started host
   */
  public static TestHost start(Path dataDir) {
    return start(dataDir, freshEmbeddedDatabase(), Map.of());
  }

  /**
   * A host on the given database.
   *
   * @param dataDir where the host keeps its data
   * @param jdbcUrl the database, e.g. from {@link #freshEmbeddedDatabase()}
   * @param env extra {@code CAS_*} settings, e.g. {@code CAS_SIGNATURE_POLICY}
   * @return the started host
   */
  public static TestHost start(Path dataDir, String jdbcUrl, Map<String, String> env) {
    return start(dataDir, jdbcUrl, env, 0);
  }

  /**
   * A host on the given database and port (0: any free port).
   *
   * @param dataDir where the host keeps its data
   * @param jdbcUrl the database, e.g. from {@link #freshEmbeddedDatabase()}
   * @param env extra {@code CAS_*} settings
   * @param port the HTTP port, or 0 for any free one
   * @return the started host
   */
  public static TestHost start(Path dataDir, String jdbcUrl, Map<String, String> env, int port) {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("CAS_ADMIN_PASSWORD", ADMIN_PASSWORD);
    all.putIfAbsent("CAS_SIGNATURE_POLICY", "off");
    try {
      return new TestHost(
          CasServer.start(
              ServerConfig.load(
                  List.of(
                      "--port",
                      Integer.toString(port),
                      "--db",
                      jdbcUrl,
                      "--data",
                      dataDir.toString()),
                  all)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A host that runs its own embedded PostgreSQL with its data in {@code <dataDir>/postgres}, as
   * {@code ./cas server} does: started and stopped with the host, and a host started again on the
   * same folder finds the data of the last one (plugins, their tables, users). It is a development
   * host: an upgrade is checked for health once and not watched afterwards ({@code
   * upgrade.observe.seconds} 0; a production host watches it 3 s), since the author looking at the
   * plugin is the watch and a rebuild should show at once.
   *
   * @param dataDir the host's data folder, kept between starts
   * @param port the port (0: any free port)
   * @return the started host
   */
  public static TestHost startKeepingData(Path dataDir, int port) {
    Map<String, String> env = new HashMap<>();
    env.put("CAS_ADMIN_PASSWORD", ADMIN_PASSWORD);
    env.put("CAS_SIGNATURE_POLICY", "off");
    env.put("CAS_UPGRADE_OBSERVE_SECONDS", "0");
    try {
      return new TestHost(
          CasServer.start(
              ServerConfig.load(
                  List.of("--port", Integer.toString(port), "--data", dataDir.toString()), env)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A fresh database on the embedded PostgreSQL shared by this JVM (started on first use).
   *
   * @return the JDBC URL of a new, empty database
   */
  public static synchronized String freshEmbeddedDatabase() {
    try {
      if (embedded == null) {
        embedded = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
        EmbeddedPostgres pg = embedded;
        Runtime.getRuntime()
            .addShutdownHook(
                Thread.ofPlatform()
                    .unstarted(
                        () -> {
                          try {
                            pg.close();
                          } catch (IOException e) {
                            throw new UncheckedIOException(e);
                          }
                        }));
      }
      String name = "kit" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
      try (Connection c = DriverManager.getConnection(embedded.getJdbcUrl("postgres", "postgres"));
          var st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      }
      return embedded.getJdbcUrl("postgres", name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
    }
  }

  /**
   * The host's base URL.
   *
   * @return e.g. {@code http://localhost:41234}
   */
  public String baseUrl() {
    return "http://localhost:" + server.port();
  }

  /**
   * A token of {@code admin}.
   *
   * @return a bearer token
   */
  public String adminToken() {
    return adminToken;
  }

  /**
   * Logs in.
   *
   * @param username the user's name
   * @param password their password
   * @return a bearer token of theirs
   */
  public String login(String username, String password) {
    Response r =
        send(
            "POST",
            "/api/auth/login",
            null,
            "application/json",
            JSON.writeValueAsBytes(Map.of("username", username, "password", password)));
    if (r.status() != 200) {
      throw new IllegalStateException("login of [" + username + "] failed: " + r.text());
    }
    return r.json().get("data").get("token").asString();
  }

  /**
   * Creates a user with one role.
   *
   * @param username the new user's name
   * @param role {@code admin}, {@code operator} or {@code user}
   * @return a bearer token of theirs
   */
  public String createUser(String username, String role) {
    String password = "pw-" + username + "-testkit";
    Response r =
        send(
            "POST",
            "/api/users",
            adminToken,
            "application/json",
            JSON.writeValueAsBytes(
                Map.of("username", username, "password", password, "roles", List.of(role))));
    if (r.status() != 201) {
      throw new IllegalStateException("creating user [" + username + "] failed: " + r.text());
    }
    return login(username, password);
  }

  /**
   * Imports a package file; fails unless the host accepts it.
   *
   * @param zip the package file
   * @return the host's answer
   */
  public Response install(Path zip) {
    Response r = importPackage(zip, "");
    if (r.status() != 201 && r.status() != 200) {
      throw new IllegalStateException("import of [" + zip + "] refused: " + r.text());
    }
    return r;
  }

  /**
   * Imports a package file with query parameters (e.g. {@code ?upgrade=true}).
   *
   * @param zip the package file
   * @param query the query string, from its {@code ?}, or empty
   * @return the answer as is
   */
  public Response importPackage(Path zip, String query) {
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

  /**
   * A {@code GET}.
   *
   * @param path the host path
   * @param token a bearer token, or null for none
   * @return the answer as is
   */
  public Response get(String path, String token) {
    return send("GET", path, token, null, null);
  }

  /**
   * A {@code POST} of JSON.
   *
   * @param path the host path
   * @param token a bearer token, or null for none
   * @param json the body
   * @return the answer as is
   */
  public Response post(String path, String token, String json) {
    return send("POST", path, token, "application/json", bytes(json));
  }

  /**
   * A {@code PUT} of JSON.
   *
   * @param path the host path
   * @param token a bearer token, or null for none
   * @param json the body
   * @return the answer as is
   */
  public Response put(String path, String token, String json) {
    return send("PUT", path, token, "application/json", bytes(json));
  }

  /**
   * A {@code DELETE}.
   *
   * @param path the host path
   * @param token a bearer token, or null for none
   * @return the answer as is
   */
  public Response delete(String path, String token) {
    return send("DELETE", path, token, null, null);
  }

  /**
   * Any request.
   *
   * @param method the HTTP method
   * @param path the host path
   * @param token a bearer token, or null for none
   * @param contentType the body's media type, or null without a body
   * @param body the body, or null for none
   * @return the answer as is
   */
  public Response send(String method, String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path));
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
      return new Response(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static byte[] bytes(String json) {
    return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An HTTP answer.
   *
   * @param status the status code
   * @param body the body bytes
   * @param headers the headers, names in lowercase
   */
  public record Response(int status, byte[] body, Map<String, List<String>> headers) {

    /** Copies the body, so the answer cannot change under the test. */
    public Response {
      body = body.clone();
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the decoded body
     */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as JSON.
     *
     * @return the parsed body
     */
    public JsonNode json() {
      return JSON.readTree(body);
    }

    /**
     * The envelope's {@code data}, for host endpoints.
     *
     * @return the {@code data} member
     */
    public JsonNode data() {
      return json().get("data");
    }
  }

  /** Stops the host; the database stays until the JVM ends. */
  @Override
  public void close() {
    server.close();
  }
}
