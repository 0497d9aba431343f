package dev.cas.testkit;

import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.ReadOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A development host: the plugin's package installed in a real host that runs its own embedded
 * PostgreSQL with its data in the data folder ({@code <dataDir>/postgres}), upgraded in place
 * whenever the package file changes, e.g. after {@code ./mvnw package} in another terminal. Each
 * build is installed as a development version ({@code 0.1.0-dev.1}, {@code 0.1.0-dev.2} …), so a
 * rebuild at the same project version is still an upgrade. The data folder is kept: a dev host
 * started again on it finds the plugin's rows, its configuration and the users of the last one, and
 * upgrades the plugin to the next development version. cas-maven-plugin's {@code run} goal starts
 * it; {@code main} takes {@code PACKAGE [PORT [DATA_DIR]]}.
 */
public final class DevHost implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TestHost host;
  private final Path pkg;
  private final Consumer<String> log;
  private String lastSeen;
  private int build;

  private DevHost(TestHost host, Path pkg, Consumer<String> log) {
    this.host = host;
    this.pkg = pkg;
    this.log = log;
  }

  /**
   * Starts a host on {@code port} (0 for any) with data under {@code dataDir} and installs {@code
   * pkg}.
   *
   * @param pkg the plugin's package file, e.g. {@code target/notes-v0.1.0.zip}
   * @param port the HTTP port, or 0 for any free one
   * @param dataDir where the host keeps its data
   * @param log where the dev host's messages go, e.g. {@code System.out::println}
   * @return the running dev host; closing it stops the host
   */
  public static DevHost start(Path pkg, int port, Path dataDir, Consumer<String> log) {
    if (!Files.isRegularFile(pkg)) {
      throw new IllegalStateException(
          "the package [" + pkg + "] does not exist; build it first (./mvnw package)");
    }
    TestHost host = TestHost.startKeepingData(dataDir, port);
    DevHost dev = new DevHost(host, pkg, log);
    try {
      dev.lastSeen = stamp(pkg);
      Optional<String> installed = dev.installedVersion();
      if (installed.isEmpty()) {
        host.install(dev.devBuild());
      } else {
        // Started again on the same data: the next development version replaces the last one.
        dev.build = devNumber(installed.get());
        TestHost.Response r = host.importPackage(dev.devBuild(), "?upgrade=true");
        if (r.status() != 200 && r.status() != 201) {
          throw new IllegalStateException(
              "the dev host in ["
                  + dataDir
                  + "] has "
                  + dev.pluginId()
                  + " "
                  + installed.get()
                  + " and refused the package ["
                  + pkg
                  + "]: "
                  + r.text()
                  + " (delete the folder to start afresh)");
        }
      }
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
    log.accept(
        "CAS dev host on "
            + host.baseUrl()
            + " (admin / "
            + TestHost.ADMIN_PASSWORD
            + "), "
            + pkg.getFileName()
            + " installed; rebuild it (./mvnw package) to upgrade it in place; Ctrl-C stops");
    return dev;
  }

  /**
   * The host.
   *
   * @return the running host
   */
  public TestHost host() {
    return host;
  }

  /**
   * Upgrades the plugin in place when the package file changed since it was last installed.
   *
   * @return how long the upgrade took, when there was one
   */
  public Optional<Duration> reloadIfChanged() {
    String now;
    try {
      now = stamp(pkg);
    } catch (UncheckedIOException e) {
      return Optional.empty(); // being rewritten: look again on the next round
    }
    if (Objects.equals(now, lastSeen)) {
      return Optional.empty();
    }
    lastSeen = now;
    long t0 = System.nanoTime();
    Path copy;
    try {
      copy = devBuild();
    } catch (RuntimeException e) {
      log.accept("cannot read " + pkg.getFileName() + ": " + e.getMessage());
      return Optional.empty();
    }
    TestHost.Response r = host.importPackage(copy, "?upgrade=true");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    if (r.status() == 200 || r.status() == 201) {
      log.accept(
          "upgraded "
              + pkg.getFileName()
              + " (as "
              + (r.data() != null && r.data().has("version")
                  ? r.data().get("version").asString()
                  : "?")
              + ") in place in "
              + took.toMillis()
              + " ms");
      return Optional.of(took);
    }
    log.accept("the host refused " + pkg.getFileName() + ": " + r.text());
    return Optional.empty();
  }

  /**
   * Looks for a new package five times a second (a stat of one file) until the thread is
   * interrupted.
   */
  public void watch() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      reloadIfChanged();
    }
  }

  /**
   * The package with a development version, {@code <version>-dev.<n>} ({@code .dev.<n>} after a
   * pre-release), rising at each build: a host reinstalls nothing for a version it has, and a
   * rebuild keeps the project's version. Unsigned: the dev host checks no signature.
   */
  private Path devBuild() {
    build++;
    try {
      Path work = Files.createTempDirectory("cas-dev-build-");
      Path root = work.resolve("p");
      PackageReader.create(ReadOptions.defaults()).read(pkg, root);
      for (String generated : new String[] {"checksum.sha256", "signature.sig", "metadata.json"}) {
        Files.deleteIfExists(root.resolve(generated));
      }
      ObjectNode manifest = (ObjectNode) JSON.readTree(root.resolve("plugin.json").toFile());
      String version = manifest.get("version").asString().replaceFirst("\\+.*$", "");
      manifest.put("version", version + (version.contains("-") ? ".dev." : "-dev.") + build);
      Files.write(root.resolve("plugin.json"), JSON.writeValueAsBytes(manifest));
      Path out = work.resolve("dev.zip");
      PackageWriter.builder()
          .includeData(true)
          .createdAt(Instant.now().truncatedTo(ChronoUnit.SECONDS))
          .build()
          .write(root, out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The version of this package's plugin the host has, when it has it. */
  private Optional<String> installedVersion() {
    String id = pluginId();
    TestHost.Response r = host.get("/api/plugins", host.adminToken());
    if (r.status() != 200) {
      throw new IllegalStateException("the dev host cannot list its plugins: " + r.text());
    }
    for (var plugin : r.data()) {
      if (id.equals(plugin.path("id").asString())) {
        return Optional.of(plugin.path("version").asString());
      }
    }
    return Optional.empty();
  }

  private String pluginId() {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(pkg.toFile())) {
      var entry = zip.getEntry("plugin.json");
      if (entry == null) {
        throw new IllegalStateException("[" + pkg + "] has no plugin.json");
      }
      try (var in = zip.getInputStream(entry)) {
        return JSON.readTree(in).path("id").asString();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} of a development version {@code …-dev.<n>} or {@code ….dev.<n>}; else 0. */
  static int devNumber(String version) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("[-.]dev\\.(\\d+)$").matcher(version);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static String stamp(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis() + ":" + Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    host.close();
  }

  /**
   * Runs a dev host from the command line until the process is stopped, upgrading the plugin in
   * place at each rebuild; what {@code cas:run} starts.
   *
   * @param args {@code PACKAGE [PORT [DATA_DIR]]}; port 8080 and a temporary folder by default
   * @throws IOException when the temporary data folder cannot be made
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: DevHost PACKAGE [PORT [DATA_DIR]]");
    }
    Path pkg = Path.of(args[0]);
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    Path data = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("cas-dev-host-");
    try (DevHost dev = start(pkg, port, data, System.out::println)) {
      dev.watch();
    }
  }
}
