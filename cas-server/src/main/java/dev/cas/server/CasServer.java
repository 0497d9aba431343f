package dev.cas.server;

import dev.cas.server.security.HostSandbox;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The CAS host: {@code cas server [--port 8080] [--db URL] [--data DIR] [--profile
 * dev|staging|prod] [--config FILE] [--install PACKAGE.zip]…}. Starts the database (embedded unless
 * {@code --db}), restores the installed plugins, installs the packages named with {@code
 * --install}, and serves the REST API until stopped.
 */
public final class CasServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CasServer.class);

  /**
   * The system property of the launcher's class-cache training run ({@code bin/class-cache.sh}):
   * the host starts, serves its health and admin page once, and exits, so that the JVM records the
   * classes and method profiles of a start into the cache as it exits.
   */
  private static final String TRAINING = "cas.class-cache.training";

  private final Host host;
  private final WebServer web;

  private CasServer(Host host, WebServer web) {
    this.host = host;
    this.web = web;
  }

  /** Starts a host with this configuration. */
  public static CasServer start(ServerConfig config) throws IOException {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    Host host = new Host(config);
    try {
      host.installOnStart();
      var builder =
          WebServer.builder()
              .port(config.port())
              .maxPayloadSize(600L * 1024 * 1024)
              .routing(host::routing);
      config
          .tls()
          .ifPresent(
              t ->
                  builder.tls(
                      io.helidon.common.tls.Tls.builder().sslContext(t.sslContext()).build()));
      WebServer web = builder.build().start();
      LOG.info(
          "CAS host on {}://localhost:{} (admin page at /; {})",
          config.tls().isPresent() ? "https" : "http",
          web.port(),
          config);
      return new CasServer(host, web);
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
  }

  /** The host behind the HTTP server (for tests in this package). */
  Host host() {
    return host;
  }

  /** The HTTP port the host listens on. */
  public int port() {
    return web.port();
  }

  /** Stops the HTTP server, the plugins and the database. */
  @Override
  public void close() {
    try {
      web.stop();
    } finally {
      host.close();
    }
  }

  /**
   * The training run's requests, then a normal stop and exit. The launcher runs it on a scratch
   * data folder with no plugins, so no plugin code runs in this JVM (it has no sandbox agent).
   */
  private static void train(CasServer server) throws IOException, InterruptedException {
    try (server;
        HttpClient http = HttpClient.newHttpClient()) {
      for (String path : List.of("/api/health", "/", "/api/plugins")) {
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
    }
    System.exit(0);
  }

  public static void main(String[] args) throws Exception {
    ServerConfig config;
    try {
      config = ServerConfig.load(List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("cas server: " + e.getMessage());
      System.exit(2);
      return;
    }
    for (String variable : ServerConfig.SECRET_VARIABLES) {
      if (System.getenv(variable) != null) {
        System.err.println(
            "cas server: WARNING: "
                + variable
                + " keeps a secret in the process environment, which other processes of this user"
                + " can read; prefer "
                + variable
                + "_FILE (a mode-600 file)");
      }
    }
    CasServer server;
    try {
      server = start(config);
    } catch (HostSandbox.CanaryFailed e) {
      System.err.println("cas server: refusing to start: " + e.getMessage());
      System.exit(3);
      return;
    }
    if (Boolean.getBoolean(TRAINING)) {
      train(server);
      return;
    }
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::close));
    System.out.println(
        "cas: host ready on "
            + (config.tls().isPresent() ? "https" : "http")
            + "://localhost:"
            + server.port()
            + " (Ctrl-C stops it)");
    Thread.currentThread().join();
  }
}
