package dev.cas.create;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.cli.Cas;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.packaging.SignaturePolicy;
import dev.cas.packaging.TrustStore;
import dev.cas.testkit.TestHost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code cas create} for each template, then the new project's own {@code ./mvnw verify} (its tests
 * with the test kit included), then its package, signed with the development key, installed into a
 * real host that requires signatures and trusts that key, and its route called. The time from
 * {@code cas create} to the route answering is printed (measured, not asserted).
 */
class CreateProjectIT {

  static Path root = Path.of(System.getProperty("cas.root", "..")).toAbsolutePath().normalize();
  static String version = System.getProperty("cas.version", "1.0.0-SNAPSHOT");
  static Path repo;

  @TempDir static Path work;

  @BeforeAll
  static void throwawayRepository() throws IOException {
    repo = ThrowawayRepository.create(root, version, root.resolve("cas-create-it/target/it-repo"));
  }

  @ParameterizedTest
  @CsvSource({
    "hello-notes, backend, /api/plugins/hello-notes/hello, 'Hello, ada'",
    "shop-panel, full-stack, /api/plugins/shop-panel/hello, 'Hello, ada'",
    "field-guide, docs, /api/plugins/field-guide/docs, readme"
  })
  void createdProjectBuildsAndItsPackageAnswersInAHost(
      String id, String template, String route, String expected) throws Exception {
    long start = System.nanoTime();
    Path dir = work.resolve(id);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Cas.run(
            new String[] {
              "create",
              id,
              "--template",
              template,
              "--dir",
              dir.toString(),
              "--package",
              "org.acme.p"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("./mvnw verify");
    assertThat(dir.resolve("mvnw")).isExecutable();

    Path devKey = work.resolve("dev-key-" + id);
    Duration build = mavenVerify(dir, devKey);

    Path zip = dir.resolve("target/" + id + "-v0.1.0.zip");
    assertThat(zip).isRegularFile();
    PluginPackage pkg =
        PackageReader.create(
                ReadOptions.defaults()
                    .withStrictManifest(true)
                    .withSignatures(
                        SignaturePolicy.REQUIRED,
                        TrustStore.load(List.of(devKey.resolve("public-key.pem")))))
            .read(zip, work.resolve("read-" + id));
    assertThat(pkg.signerKeyId()).isPresent();
    assertThat(pkg.files())
        .extracting(f -> f.path())
        .noneMatch(p -> p.endsWith(".pem"))
        .noneMatch(p -> p.startsWith("backend/lib/cas-plugin-api"));
    if (!template.equals("docs")) {
      assertThat(pkg.files())
          .extracting(f -> f.path())
          .contains(
              "backend/dist/" + id + ".jar",
              "backend/migrations/001_create_items.sql",
              "backend/migrations/001_create_items_rollback.sql");
    }
    if (template.equals("full-stack")) {
      assertThat(pkg.files()).extracting(f -> f.path()).contains("frontend/dist/" + id + ".js");
    }

    if (template.equals("backend")) {
      // Reproducible: a clean rebuild gives the same bytes (project.build.outputTimestamp).
      byte[] first = Files.readAllBytes(zip);
      mavenBuild(dir, devKey, "clean", "package");
      assertThat(Files.readAllBytes(zip)).as("package after a clean rebuild").isEqualTo(first);
    }

    Path data = work.resolve("host-" + id);
    Files.createDirectories(data.resolve("trust"));
    Files.copy(devKey.resolve("public-key.pem"), data.resolve("trust/dev.pem"));
    try (TestHost host =
        TestHost.start(
            data, TestHost.freshEmbeddedDatabase(), Map.of("CAS_SIGNATURE_POLICY", "required"))) {
      host.install(zip);
      String ada = host.createUser("ada", "user");
      TestHost.Response r = host.get(route, ada);
      long total = System.nanoTime() - start;
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.text()).contains(expected);
      System.out.printf(
          "cas create %s (%s): ./mvnw verify took %d s; create to the route answering in a host:"
              + " %d s%n",
          id, template, build.toSeconds(), TimeUnit.NANOSECONDS.toSeconds(total));
    }
  }

  /** The project's own wrapper, offline, against the throwaway repository. */
  private static Duration mavenVerify(Path dir, Path devKey) throws Exception {
    return mavenBuild(dir, devKey, "verify");
  }

  private static Duration mavenBuild(Path dir, Path devKey, String... goals) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("./mvnw");
    cmd.addAll(List.of("-B", "-ntp", "-o"));
    cmd.addAll(List.of(goals));
    cmd.addAll(
        List.of(
            "-Dmaven.repo.local=" + repo,
            "-Dmaven.repo.local.tail=" + System.getProperty("maven.home.repo"),
            "-Dcas.devKeyDirectory=" + devKey));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    Path log = dir.resolve("build-" + String.join("-", goals) + ".log");
    pb.redirectOutput(log.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("./mvnw did not end in 15 minutes; see " + log);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("./mvnw in " + dir + ":\n" + tail(text)).isZero();
    assertThat(text).contains("BUILD SUCCESS");
    if (List.of(goals).contains("verify")) {
      assertThat(text).contains("Tests run:");
    }
    return took;
  }

  private static String tail(String text) {
    return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
  }
}
