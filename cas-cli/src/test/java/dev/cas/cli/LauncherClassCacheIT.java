package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cas server} and its class cache ({@code bin/class-cache.sh}): the real host, sandbox
 * agent loaded, started through the launcher reaches {@code /api/health} whether the cache is
 * missing (the start trains one in the background), present, stale (made for another class path) or
 * corrupt; a cache that cannot be used is never a reason not to start.
 */
class LauncherClassCacheIT {

  /** What the JVM says when it cannot use the cache, before it carries on without it. */
  static final String UNUSABLE = "An error has occurred while processing the AOT cache";

  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir static Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void built() {
    // The launcher builds what is missing with an install; the test must never make it do so.
    for (String jar :
        List.of(
            "cas-server/target/cas-server.jar",
            "cas-sandbox/target/cas-sandbox.jar",
            "cas-sandbox/target/cas-sandbox-checker.jar",
            "cas-cli/target/cas-cli.jar")) {
      assertThat(REPO.resolve(jar)).as("built (./mvnw package -pl cas-cli -am)").exists();
    }
  }

  @Test
  void theHostStartsWithTheCacheMissingPresentStaleOrCorrupt() throws Exception {
    Path data = dir.resolve("data");
    Path cacheDir = data.resolve("class-cache");

    String missing = startAndStop(data, "missing");
    assertThat(missing).contains("sandbox: enforced");
    Path cache = awaitCache(cacheDir);
    assertThat(cacheDir.resolve("training.log"))
        .content()
        .contains("AOTCache creation is complete");

    String present = startAndStop(data, "present");
    assertThat(present).contains("sandbox: enforced").doesNotContain(UNUSABLE);

    // Stale: a cache the JVM made for another class path (the CLI's), where this one's should be.
    Path other = dir.resolve("other.aot");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:AOTCacheOutput=" + other,
                "-cp",
                REPO.resolve("cas-cli/target/cas-cli.jar")
                    + ":"
                    + REPO.resolve("cas-cli/target/lib/*"),
                "dev.cas.cli.Cas",
                "--version")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("other.log").toFile())
            .start();
    assertThat(p.waitFor()).as(Files.readString(dir.resolve("other.log"))).isZero();
    Files.copy(other, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(startAndStop(data, "stale")).contains("sandbox: enforced").contains(UNUSABLE);

    // Corrupt: bytes overwritten in the middle of the mapped regions (the checksums catch it).
    try (RandomAccessFile f = new RandomAccessFile(cache.toFile(), "rw")) {
      f.seek(f.length() / 2);
      f.write(new byte[64]);
    }
    String corrupt = startAndStop(data, "corrupt");
    assertThat(corrupt)
        .contains("sandbox: enforced")
        .contains("Checksum verification failed")
        .contains(UNUSABLE);

    // Garbage: not a cache at all.
    Files.write(cache, new byte[4096]);
    assertThat(startAndStop(data, "garbage")).contains("sandbox: enforced").contains(UNUSABLE);
  }

  /** Starts the host through the launcher, waits for /api/health, stops it; returns its output. */
  private String startAndStop(Path data, String name) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                REPO.resolve("cas").toString(),
                "server",
                "--port",
                Integer.toString(port),
                "--data",
                data.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().remove("CAS_CLASS_CACHE");
    pb.environment().remove("CAS_SANDBOX");
    pb.environment().remove("CAS_DATA");
    Process host = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (true) {
        assertThat(host.isAlive()).as(name + ": " + Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as(name + ": " + Files.readString(log)).isLessThan(deadline);
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            break;
          }
        } catch (ConnectException notYet) {
          // not listening yet
        }
        Thread.sleep(100);
      }
    } finally {
      host.destroy();
      if (!host.waitFor(2, TimeUnit.MINUTES)) {
        host.destroyForcibly().waitFor();
      }
    }
    return Files.readString(log);
  }

  private static Path awaitCache(Path cacheDir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(cacheDir)) {
        try (Stream<Path> s = Files.list(cacheDir)) {
          List<Path> caches =
              s.filter(f -> f.getFileName().toString().matches("host-[0-9a-f]{32}\\.aot")).toList();
          if (!caches.isEmpty()) {
            return caches.getFirst();
          }
        }
      }
      Thread.sleep(500);
    }
    throw new IOException("no class cache was trained in [" + cacheDir + "]");
  }
}
