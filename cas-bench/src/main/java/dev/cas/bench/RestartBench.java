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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The class-cache training options of {@code bin/class-cache.sh}: classes, no profiles. */
  static final List<String> TRAINING =
      List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining");

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
  record Result(String markdown, double allRoutesMs, double allRoutesWithoutCacheMs) {}

  Result run() throws Exception {
    Files.createDirectories(work);
    Path data = work.resolve("data");
    Path passwordFile = work.resolve("admin-password");
    Files.writeString(passwordFile, PASSWORD);
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    List<Path> zips = packages();
    int port = freePort();
    Process first = start(data, port, passwordFile, List.of(), true);
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
    Path cache = trainClassCache(passwordFile);
    // Without and with the class cache, alternating which goes first.
    Map<String, List<Double>> health = new LinkedHashMap<>();
    Map<String, List<Double>> routes = new LinkedHashMap<>();
    for (int i = 0; i <= runs; i++) {
      List<Boolean> order = i % 2 == 0 ? List.of(false, true) : List.of(true, false);
      for (boolean cached : order) {
        List<String> jvm =
            cached ? List.of("-XX:AOTCache=" + cache, "-XX:+VerifySharedSpaces") : List.of();
        String variant = cached ? "class cache" : "no cache";
        long t0 = System.nanoTime();
        Process p = start(data, port, passwordFile, jvm, true);
        try {
          awaitHealth(port, p);
          long t1 = System.nanoTime();
          String token = login(port);
          for (int k = 0; k < plugins; k++) {
            awaitRoute(port, token, "/api/plugins/restart-" + k + "/ping", p);
          }
          long t2 = System.nanoTime();
          logBreakdown(variant);
          if (i > 0) {
            health.computeIfAbsent(variant, v -> new ArrayList<>()).add((t1 - t0) / 1e6);
            routes.computeIfAbsent(variant, v -> new ArrayList<>()).add((t2 - t0) / 1e6);
          }
        } finally {
          stop(p);
        }
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
    t.append(
        "Each restart ran twice, alternating which went first: without and with the class cache"
            + " (the JDK's AOT cache as `./cas server` makes it: trained once by a host on a"
            + " scratch data folder with no plugins and no agent, classes without method profiles,"
            + " then used with the agent).\n\n");
    t.append(
        "| plugins | JVM | /api/health answers, ms median (min–max) | every route answers |\n");
    t.append("|---|---|---|---|\n");
    for (String variant : health.keySet()) {
      t.append(
          Stats.fmt(
              "| %d | %s | %s | %s |%n",
              plugins,
              variant,
              Stats.spread(health.get(variant), 0),
              Stats.spread(routes.get(variant), 0)));
    }
    t.append(
        Stats.fmt(
            "%nWith the class cache / without, medians: /api/health %.2f, every route %.2f.%n",
            Stats.median(health.get("class cache")) / Stats.median(health.get("no cache")),
            Stats.median(routes.get("class cache")) / Stats.median(routes.get("no cache"))));
    return new Result(
        t.toString(),
        Stats.median(routes.get("class cache")),
        Stats.median(routes.get("no cache")));
  }

  /**
   * The class cache as {@code bin/class-cache.sh} trains it: the host's JVM options without the
   * agent (its module named instead), on a scratch data folder with no plugins, exiting once ready.
   */
  private Path trainClassCache(Path passwordFile) throws Exception {
    Path cache = work.resolve("host.aot");
    List<String> jvm = new ArrayList<>();
    if (agent() != null) {
      jvm.addAll(List.of("--add-modules", "java.instrument"));
    }
    jvm.addAll(TRAINING);
    jvm.add("-XX:AOTCacheOutput=" + cache);
    jvm.add("-Dcas.class-cache.training=true");
    Process p = start(work.resolve("training-data"), 0, passwordFile, jvm, false);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(cache)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "class cache training failed; see " + work.resolve("host.log"));
    }
    return cache;
  }

  private void logBreakdown(String variant) throws IOException {
    // The host's own account of its start, for the breakdown.
    List<String> lines =
        Files.readAllLines(work.resolve("host.log")).stream()
            .filter(l -> l.contains("host parts ready") || l.contains("plugins: folders"))
            .toList();
    lines.stream()
        .skip(Math.max(0, lines.size() - 2))
        .forEach(l -> System.err.println("restart " + plugins + " (" + variant + "): " + l));
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

  private static String agent() {
    String agent = System.getProperty("cas.sandbox.agent");
    return agent != null && Files.isRegularFile(Path.of(agent)) ? agent : null;
  }

  private Process start(
      Path data, int port, Path passwordFile, List<String> jvmExtra, boolean withAgent)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("--add-opens");
    cmd.add("java.base/java.lang=ALL-UNNAMED");
    cmd.add("--add-opens");
    cmd.add("java.sql/java.sql=ALL-UNNAMED");
    if (agent() != null && withAgent) {
      cmd.add("-javaagent:" + agent());
    }
    cmd.addAll(jvmExtra);
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
