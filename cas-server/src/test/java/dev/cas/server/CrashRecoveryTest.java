package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host in a child process is killed with {@code kill -9} at every step boundary of an install, an
 * upgrade and an uninstall; a host restarted on the same data folder and database finds the old
 * state or the new one, never a mix (compared with {@link HostSnapshot}), and the same operation
 * then succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryTest {

  private static final Pattern READY = Pattern.compile("host ready on http://localhost:(\\d+)");

  Path tmp;
  TestPlugins plugins;
  Path v1;
  Path v2;
  String dbUrl;
  Path dataDir;
  final AtomicInteger rounds = new AtomicInteger();

  @BeforeAll
  void build(@TempDir Path dir) {
    tmp = dir;
    plugins = new TestPlugins(tmp.resolve("build"));
    v1 =
        TestPackages.rewrite(
            plugins.buildZip(NotesPlugin.spec("1.0.0")),
            tmp.resolve("notes-1.0.0.zip"),
            folder -> {
              Files.createDirectories(folder.resolve("data"));
              Files.writeString(
                  folder.resolve("data/export.json"),
                  "{\"config\": {\"greeting\": \"hello\"}, \"records\": {\"notes\":"
                      + " [{\"id\": 1, \"user_id\": \"ada\", \"body\": \"one\"}]}}");
            });
    v2 =
        plugins.buildZip(
            NotesPlugin.spec("1.1.0")
                .tables("tags")
                .migration(
                    "002_tags.sql",
                    "CREATE TABLE tags (note_id BIGINT, tag TEXT);",
                    "DROP TABLE tags;"));
    dbUrl = TestDatabases.freshEmbedded();
    dataDir = tmp.resolve("host");
  }

  /** One kind of operation: how to set up its old state, and how to run it on a host. */
  record Operation(
      String kind,
      List<String> steps,
      boolean startInstalled,
      Function<TestHost, TestHost.Response> run) {}

  @Test
  void killedInstallLeavesTheOldStateOrTheNew() throws Exception {
    crashAtEveryStep(
        new Operation(
            "install",
            List.of(InstallPipelineTest.STEPS.split(", ")),
            false,
            h -> h.importZip(v1, "")));
  }

  @Test
  void killedUpgradeLeavesTheOldStateOrTheNew() throws Exception {
    crashAtEveryStep(
        new Operation(
            "upgrade",
            List.of(InstallPipelineTest.STEPS.split(", ")),
            true,
            h -> h.importZip(v2, "?upgrade=true")));
  }

  @Test
  void killedUninstallLeavesTheOldStateOrTheNew() throws Exception {
    crashAtEveryStep(
        new Operation(
            "uninstall",
            List.of("runtime", "registry"),
            true,
            h -> h.delete("/api/plugins/notes?purgeData=true")));
  }

  private void crashAtEveryStep(Operation op) throws Exception {
    // The two acceptable outcomes, from an operation that runs to its end.
    TestHost host = TestHost.start(dataDir, dbUrl, false, Map.of());
    HostSnapshot before;
    HostSnapshot after;
    try {
      reset(host, op);
      before = HostSnapshot.of(host, false);
      assertThat(op.run().apply(host).status()).isBetween(200, 201);
      after = restarted(host, h -> HostSnapshot.of(h, false));
      host = null;
    } finally {
      if (host != null) {
        host.close();
      }
    }
    List<String> boundaries = new ArrayList<>(op.steps());
    boundaries.add(op.kind().equals("uninstall") ? "purge" : "end");
    for (String step : boundaries) {
      TestHost setUp = TestHost.start(dataDir, dbUrl, false, Map.of());
      reset(setUp, op);
      setUp.close();

      killAt(op, step);

      TestHost recovered = TestHost.start(dataDir, dbUrl, false, Map.of());
      try {
        HostSnapshot found = HostSnapshot.of(recovered, false);
        assertThat(found)
            .as("state after a kill -9 at [%s:%s]", op.kind(), step)
            .isIn(before, after);
        TestHost.Response again = op.run().apply(recovered);
        if (found.equals(before)) {
          assertThat(again.status()).as(again.text()).isBetween(200, 201);
        }
      } finally {
        recovered.close();
      }
    }
  }

  /** The host restarted on the same data and database; the result of {@code look} at it. */
  private static <T> T restarted(TestHost host, Function<TestHost, T> look) {
    Path data = host.dataDir;
    String url = host.dbUrl;
    host.close();
    TestHost again = TestHost.start(data, url, false, Map.of());
    try {
      return look.apply(again);
    } finally {
      again.close();
    }
  }

  /** The state before the operation: notes absent, or notes 1.0.0 installed with its data. */
  private void reset(TestHost host, Operation op) {
    if (host.get("/api/plugins/notes").status() == 200) {
      assertThat(host.delete("/api/plugins/notes?purgeData=true").status()).isEqualTo(200);
    }
    if (op.startInstalled()) {
      TestHost.Response r = host.importZip(v1, "");
      assertThat(r.status()).as(r.text()).isEqualTo(201);
    }
  }

  /** Starts a host in a child JVM that pauses at the step, runs the operation, kills it there. */
  private void killAt(Operation op, String step) throws Exception {
    Path pauseFile = tmp.resolve("paused-" + rounds.incrementAndGet());
    Path log = tmp.resolve("child-" + rounds.get() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dcas.test.pause-at=" + op.kind() + ":" + step,
                "-Dcas.test.pause-file=" + pauseFile,
                "dev.cas.server.CasServer",
                "--port",
                "0",
                "--db",
                dbUrl,
                "--data",
                dataDir.toString())
            .redirectErrorStream(true);
    pb.environment().put("CAS_ADMIN_PASSWORD", TestHost.ADMIN_PASSWORD);
    pb.environment().put("CAS_UPGRADE_OBSERVE_SECONDS", "0");
    Process child = pb.start();
    try {
      int port = awaitReady(child, log);
      TestHost remote = TestHost.attach(port, dataDir, dbUrl);
      CompletableFuture<TestHost.Response> running =
          CompletableFuture.supplyAsync(() -> op.run().apply(remote));
      Awaits.awaitUntil(() -> Files.exists(pauseFile) || running.isDone() || !child.isAlive());
      assertThat(Files.exists(pauseFile))
          .as("the child paused at [%s:%s] (log: %s)", op.kind(), step, log)
          .isTrue();
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no cleanup
      child.waitFor();
    }
  }

  /** Reads the child's output into {@code log} until it says it is ready; returns its port. */
  private static int awaitReady(Process child, Path log) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      lines.add(line);
      Matcher m = READY.matcher(line);
      if (m.find()) {
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    for (String rest = out.readLine(); rest != null; rest = out.readLine()) {
                      Files.writeString(
                          log,
                          rest + "\n",
                          java.nio.file.StandardOpenOption.CREATE,
                          java.nio.file.StandardOpenOption.APPEND);
                    }
                  } catch (IOException ignored) {
                    // the child was killed; its output ends here
                  }
                });
        Files.write(log, lines);
        return Integer.parseInt(m.group(1));
      }
    }
    Files.write(log, lines);
    throw new AssertionError(
        "the child host ended before it was ready:\n" + String.join("\n", lines));
  }
}
