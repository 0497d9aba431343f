package dev.cas.bench;

import dev.cas.runtime.TestPlugins;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host restart as an operator sees it: {@code CasServer} in a new JVM on its embedded PostgreSQL
 * (in the data folder, as {@code ./cas server} runs it), with N trivial plugins installed, timed
 * from process start until {@code /api/health} answers, and until every plugin's route answers 200.
 * The plugins are installed once over HTTP by a first process; each timed run starts the host again
 * on the same data folder.
 */
final class RestartBench {

  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
  private static final String PASSWORD = "restart-bench-password";

  private final Path work;
  private final int runs;
  private final int plugins;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  RestartBench(Path work, int runs, int plugins) {
    this.work = work;
    this.runs = runs;
    this.plugins = plugins;
  }

  /** Results and their table. */
  record Result(String markdown, double allRoutesMs) {}

  Result run() throws Exception {
    Files.createDirectories(work);
    Path data = work.resolve("data");
    Path passwordFile = work.resolve("admin-password");
    Files.writeString(passwordFile, PASSWORD);
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    List<Path> zips = packages();
    int port = freePort();
    Process first = start(data, port, passwordFile);
    try {
      awaitHealth(port, first);
      String token = login(port);
      for (Path zip : zips) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri(port, "/api/plugins/import"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.ofFile(zip))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
          throw new IllegalStateException("import refused: " + r.statusCode() + " " + r.body());
        }
      }
    } finally {
      stop(first);
    }
    List<Double> health = new ArrayList<>();
    List<Double> routes = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long t0 = System.nanoTime();
      Process p = start(data, port, passwordFile);
      try {
        awaitHealth(port, p);
        long t1 = System.nanoTime();
        String token = login(port);
        for (int k = 0; k < plugins; k++) {
          awaitRoute(port, token, "/api/plugins/restart-" + k + "/ping", p);
        }
        long t2 = System.nanoTime();
        // The host's own account of its start, for the breakdown.
        List<String> lines = Files.readAllLines(work.resolve("host.log"));
        lines.stream()
            .filter(l -> l.contains("host parts ready") || l.contains("plugins: folders"))
            .skip(
                Math.max(
                    0,
                    lines.stream()
                            .filter(
                                l ->
                                    l.contains("host parts ready")
                                        || l.contains("plugins: folders"))
                            .count()
                        - 2))
            .forEach(l -> System.err.println("restart " + plugins + ": " + l));
        if (i > 0) {
          health.add((t1 - t0) / 1e6);
          routes.add((t2 - t0) / 1e6);
        }
      } finally {
        stop(p);
      }
    }
    StringBuilder t = new StringBuilder("### Restart a host with N plugins installed\n\n");
    t.append(
        Stats.fmt(
            "%d restarts after a warm-up restart: a new JVM running CasServer on its embedded"
                + " PostgreSQL (data folder kept), %d trivial plugins installed. Times from process"
                + " start; the whole restart includes the embedded PostgreSQL's start, the journal"
                + " check, opening every installed folder (each file hashed against the checksum"
                + " list pinned at install) and starting the plugins in parallel along their"
                + " dependency graph.%n%n",
            runs, plugins));
    t.append("| plugins | /api/health answers, ms median (min–max) | every route answers |\n");
    t.append("|---|---|---|\n");
    t.append(
        Stats.fmt("| %d | %s | %s |%n", plugins, Stats.spread(health, 0), Stats.spread(routes, 0)));
    return new Result(t.toString(), Stats.median(routes));
  }

  private List<Path> packages() {
    TestPlugins builder = new TestPlugins(work.resolve("build"));
    List<Path> zips = new ArrayList<>();
    for (int i = 0; i < plugins; i++) {
      zips.add(
          builder.buildZip(
              TestPlugins.plugin("restart-" + i)
                  .main("bench.r.Main", CasContender.SOURCE.replace("bench.p", "bench.r"))
                  .permissions("http.routes")));
    }
    return zips;
  }

  private Process start(Path data, int port, Path passwordFile) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("--add-opens");
    cmd.add("java.base/java.lang=ALL-UNNAMED");
    cmd.add("--add-opens");
    cmd.add("java.sql/java.sql=ALL-UNNAMED");
    String agent = System.getProperty("cas.sandbox.agent");
    if (agent != null && Files.isRegularFile(Path.of(agent))) {
      cmd.add("-javaagent:" + agent);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.cas.server.CasServer");
    cmd.add("--port");
    cmd.add(Integer.toString(port));
    cmd.add("--data");
    cmd.add(data.toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("host.log").toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("host.log").toFile()));
    pb.environment().put("CAS_ADMIN_PASSWORD_FILE", passwordFile.toString());
    pb.environment().remove("CAS_ADMIN_PASSWORD");
    return pb.start();
  }

  private void awaitHealth(int port, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "host exited with [" + p.exitValue() + "]; see " + work.resolve("host.log"));
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(uri(port, "/api/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("host did not answer /api/health within 3 minutes");
  }

  private void awaitRoute(int port, String token, String path, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    int last = 0;
    while (System.nanoTime() < deadline && p.isAlive()) {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(uri(port, path))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      last = r.statusCode();
      if (last == 200) {
        return;
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException("[" + path + "] did not answer 200 (last " + last + ")");
  }

  private String login(int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri(port, "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = TOKEN.matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException("login refused: " + r.statusCode() + " " + r.body());
    }
    return m.group(1);
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
