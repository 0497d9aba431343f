package dev.cas.create;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.cli.Cas;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PemKeys;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.packaging.SignaturePolicy;
import dev.cas.packaging.TrustStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cas-maven-plugin's goals in real builds of a created project: the package attached to the project
 * (install carries it), a release key from the environment, a key file inside the project refused,
 * and a plugin that starts processes failing validation.
 */
class MavenPluginGoalsIT {

  static Path repo;

  @TempDir static Path work;

  @BeforeAll
  static void throwawayRepository() throws IOException {
    repo =
        ThrowawayRepository.create(
            CreateProjectIT.root,
            CreateProjectIT.version,
            CreateProjectIT.root.resolve("cas-create-it/target/it-repo"));
  }

  private record Build(int exit, String log) {}

  @Test
  void releaseKeyFromTheEnvironmentSignsThePackage() throws Exception {
    Path dir = create("signed-notes");
    assertThat(
            Cas.run(
                new String[] {"keygen", "--out", work.resolve("release").toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())))
        .isZero();
    String pem = Files.readString(work.resolve("release/private-key.pem"));

    Build b = maven(dir, Map.of("CAS_SIGNING_KEY", pem), "package", "cas:sign");

    assertThat(b.exit()).as(b.log()).isZero();
    assertThat(b.log()).contains("from environment variable CAS_SIGNING_KEY").doesNotContain(pem);
    PluginPackage pkg =
        PackageReader.create(
                ReadOptions.defaults()
                    .withSignatures(
                        SignaturePolicy.REQUIRED,
                        TrustStore.load(List.of(work.resolve("release/public-key.pem")))))
            .read(dir.resolve("target/signed-notes-v0.1.0.zip"), work.resolve("read"));
    assertThat(pkg.signerKeyId())
        .contains(PemKeys.keyId(PemKeys.readPublic(work.resolve("release/public-key.pem"))));
  }

  @Test
  void installCarriesThePackageAsAnAttachedArtifact() throws Exception {
    Path dir = create("carried-notes");

    Build b = maven(dir, Map.of(), "install", "-DskipTests");

    assertThat(b.exit()).as(b.log()).isZero();
    Path installed = repo.resolve("org/acme/p/carried-notes/0.1.0");
    assertThat(installed.resolve("carried-notes-0.1.0.jar")).exists();
    assertThat(installed.resolve("carried-notes-0.1.0-cas-package.zip"))
        .hasSameBinaryContentAs(dir.resolve("target/carried-notes-v0.1.0.zip"));

    // Left out on request: install then carries the jar alone.
    Build detached =
        maven(dir, Map.of(), "install", "-DskipTests", "-Dcas.attach=false", "-Dcas.classifier=x");
    assertThat(detached.exit()).as(detached.log()).isZero();
    assertThat(installed.resolve("carried-notes-0.1.0-x.zip")).doesNotExist();
  }

  @Test
  void privateKeyInsideTheProjectIsRefused() throws Exception {
    Path dir = create("leaky-notes");
    Cas.run(
        new String[] {"keygen", "--out", dir.resolve("src/plugin/keys").toString()},
        new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));

    Build b =
        maven(
            dir,
            Map.of(),
            "package",
            "-Dcas.signingKeyFile=" + dir.resolve("src/plugin/keys/private-key.pem"));

    assertThat(b.exit()).isNotZero();
    assertThat(b.log()).contains("lies inside", "keep private keys outside the plugin's folders");
    assertThat(dir.resolve("target/leaky-notes-v0.1.0.zip")).doesNotExist();

    // Not named as the signing key, the key is still refused as a file of the package.
    Build unnamed = maven(dir, Map.of(), "package");
    assertThat(unnamed.exit()).isNotZero();
    assertThat(unnamed.log())
        .contains("the package would contain a private key: [keys/private-key.pem]");
    assertThat(dir.resolve("target/leaky-notes-v0.1.0.zip")).doesNotExist();
  }

  @Test
  void pluginThatStartsProcessesFailsValidation() throws Exception {
    Path dir = create("shell-notes");
    Path plugin = dir.resolve("src/main/java/org/acme/p/ShellNotesPlugin.java");
    String source = Files.readString(plugin);
    Files.writeString(
        plugin,
        source.substring(0, source.lastIndexOf('}'))
            + "  static void run() throws java.io.IOException {\n"
            + "    Runtime.getRuntime().exec(new String[] {\"id\"});\n"
            + "  }\n}\n");

    Build b = maven(dir, Map.of(), "package", "cas:validate");

    assertThat(b.exit()).isNotZero();
    assertThat(b.log()).contains("SECURITY_RISK", "Runtime.exec", "shell-notes-v0.1.0.zip refused");
  }

  private static Path create(String id) {
    Path dir = work.resolve(id);
    StringWriter err = new StringWriter();
    assertThat(
            Cas.run(
                new String[] {"create", id, "--dir", dir.toString(), "--package", "org.acme.p"},
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true)))
        .as(err.toString())
        .isZero();
    return dir;
  }

  private static Build maven(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("./mvnw", "-B", "-ntp", "-o"));
    cmd.addAll(List.of(args));
    cmd.add("-Dmaven.repo.local=" + repo);
    cmd.add("-Dmaven.repo.local.tail=" + System.getProperty("maven.home.repo"));
    cmd.add("-Dcas.devKeyDirectory=" + work.resolve("dev-key"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("MAVEN_OPTS");
    pb.environment().remove("CAS_SIGNING_KEY");
    pb.environment().putAll(env);
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    return new Build(p.exitValue(), log);
  }
}
