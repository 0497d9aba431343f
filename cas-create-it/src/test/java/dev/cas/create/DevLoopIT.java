package dev.cas.create;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.cli.Cas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The development loop of a created project: {@code ./mvnw cas:run} serves the plugin on a dev
 * host; after a change, {@code ./mvnw package} in another process makes the host upgrade it in
 * place. The time from {@code cas create} to the route answering and the upgrade's time are printed
 * (measured, not asserted).
 */
class DevLoopIT {

  static Path root = CreateProjectIT.root;
  static Path repo;

  @TempDir static Path work;

  @BeforeAll
  static void throwawayRepository() throws IOException {
    repo =
        ThrowawayRepository.create(
            root, CreateProjectIT.version, root.resolve("cas-create-it/target/it-repo"));
  }

  @Test
  void runServesThePluginAndARebuildUpgradesItInPlace() throws Exception {
    long start = System.nanoTime();
    Path dir = work.resolve("loop");
    StringWriter err = new StringWriter();
    assertThat(
            Cas.run(
                new String[] {"create", "dev-loop", "--dir", dir.toString()},
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true)))
        .as(err.toString())
        .isZero();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process run = maven(dir, "cas:run", "-Dcas.port=" + port).redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    List<String> seen = new ArrayList<>();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                lines.add("read failed: " + e);
              }
            });
    try {
      awaitLine(lines, seen, "CAS dev host on", run);
      String token = login(port);
      assertThat(get(port, "/api/plugins/dev-loop/hello", token)).contains("Hello, admin");
      long firstAnswer = System.nanoTime() - start;

      Path manifest = dir.resolve("src/plugin/plugin.json");
      Files.writeString(
          manifest,
          Files.readString(manifest).replace("\"default\": \"Hello\"", "\"default\": \"Howdy\""));
      long rebuildStart = System.nanoTime();
      Process rebuild = maven(dir, "package").redirectErrorStream(true).start();
      String rebuildLog =
          new String(rebuild.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(rebuild.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(rebuild.exitValue()).as(rebuildLog).isZero();
      long rebuilt = System.nanoTime() - rebuildStart;
      String upgraded = awaitLine(lines, seen, "in place in", run);
      assertThat(get(port, "/api/plugins/dev-loop/hello", token)).contains("Howdy, admin");
      long visible = System.nanoTime() - rebuildStart;
      System.out.printf(
          "cas create to the route answering on cas:run's dev host: %d s; ./mvnw package after the"
              + " change: %d ms; the change answering, from the start of ./mvnw package: %d ms;"
              + " %s%n",
          TimeUnit.NANOSECONDS.toSeconds(firstAnswer),
          TimeUnit.NANOSECONDS.toMillis(rebuilt),
          TimeUnit.NANOSECONDS.toMillis(visible),
          upgraded.trim());
    } finally {
      run.destroy();
      if (!run.waitFor(30, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
    }
  }

  private static ProcessBuilder maven(Path dir, String... goals) {
    List<String> cmd = new ArrayList<>(List.of("./mvnw", "-B", "-ntp", "-o"));
    cmd.addAll(List.of(goals));
    cmd.add("-Dmaven.repo.local=" + repo);
    cmd.add("-Dmaven.repo.local.tail=" + System.getProperty("maven.home.repo"));
    cmd.add("-Dcas.devKeyDirectory=" + work.resolve("dev-key"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    return pb;
  }

  /** The next line containing {@code text}; fails when the process ends or 10 minutes pass. */
  private static String awaitLine(
      BlockingQueue<String> lines, List<String> seen, String text, Process p)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null) {
        seen.add(l);
        if (l.contains(text)) {
          return l;
        }
      } else if (!p.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError(
        "no line with [" + text + "]; cas:run printed:\n" + String.join("\n", seen));
  }

  private static String login(int port) throws Exception {
    String body =
        send(
            port,
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"admin\", \"password\": \"testkit-admin-password\"}")));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group(1);
  }

  private static String get(int port, String path, String token) throws Exception {
    return send(
        port,
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + token)
            .GET());
  }

  private static String send(int port, HttpRequest.Builder b) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
