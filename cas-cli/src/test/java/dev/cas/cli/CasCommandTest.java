package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Drives the real command line over real files: keys, folders and packages on disk. */
class CasCommandTest {

  private static final Path EXAMPLE = Path.of("..", "examples", "hello-docs");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {
    JsonNode json() {
      return JSON.readTree(out);
    }
  }

  private static Run cas(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Cas.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void keygenPackageSignValidateAndInspectWorkTogether() {
    Path keys = tmp.resolve("keys");
    Path zip = tmp.resolve("hello.zip");
    assertThat(
            cas("keygen", "--algorithm", "rsa", "--bits", "2048", "--out", keys.toString()).exit())
        .isZero();

    Run packaged =
        cas(
            "package",
            EXAMPLE.toString(),
            "--out",
            zip.toString(),
            "--include-data",
            "--sign",
            "--key",
            keys.resolve("private-key.pem").toString(),
            "--json");
    assertThat(packaged.exit()).as(packaged.err()).isZero();
    assertThat(packaged.json().get("id").asString()).isEqualTo("hello-docs");
    String keyId = packaged.json().get("signerKeyId").asString();
    assertThat(keyId).startsWith("sha256:");

    Run valid =
        cas(
            "validate",
            zip.toString(),
            "--strict",
            "--signature",
            "--trust",
            keys.resolve("public-key.pem").toString(),
            "--compatibility",
            "--json");
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.json().get("valid").asBoolean()).isTrue();
    assertThat(valid.json().get("signerKeyId").asString()).isEqualTo(keyId);

    Run inspected = cas("inspect", zip.toString());
    assertThat(inspected.exit()).isZero();
    assertThat(inspected.out())
        .contains("Hello docs (hello-docs) 1.0.0", "data/export.json", "signature.sig", keyId);
  }

  @Test
  void signReplacesTheSignerAndTheOldKeyNoLongerVerifies() {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    Path zip = tmp.resolve("hello.zip");
    cas("keygen", "--out", first.toString());
    cas("keygen", "--out", second.toString());
    cas(
        "package",
        EXAMPLE.toString(),
        "--out",
        zip.toString(),
        "--sign",
        "--key",
        first.resolve("private-key.pem").toString());

    Run signed = cas("sign", zip.toString(), "--key", second.resolve("private-key.pem").toString());
    assertThat(signed.exit()).as(signed.err()).isZero();

    assertThat(
            cas(
                    "validate",
                    zip.toString(),
                    "--signature",
                    "--trust",
                    second.resolve("public-key.pem").toString())
                .exit())
        .isZero();
    Run old =
        cas(
            "validate",
            zip.toString(),
            "--signature",
            "--trust",
            first.resolve("public-key.pem").toString());
    assertThat(old.exit()).isEqualTo(Cas.REFUSED);
    assertThat(old.err()).contains("SIGNATURE_UNTRUSTED", "is not in the trust store");
  }

  @Test
  void refusedPackageExitsOneAndNamesTheEntry() throws IOException {
    Path zip = tmp.resolve("hello.zip");
    cas("package", EXAMPLE.toString(), "--out", zip.toString());
    byte[] bytes = Files.readAllBytes(zip);
    Files.write(tmp.resolve("truncated.zip"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

    Run run = cas("validate", tmp.resolve("truncated.zip").toString(), "--json");

    assertThat(run.exit()).isEqualTo(Cas.REFUSED);
    assertThat(run.json().get("valid").asBoolean()).isFalse();
    assertThat(run.json().get("reason").asString()).isEqualTo("NOT_A_ZIP");
    assertThat(run.err()).contains("cas: NOT_A_ZIP: cannot read [truncated.zip] as a ZIP");
  }

  @Test
  void incompatibleHostIsRefusedWithWhatWasRequiredAndFound() {
    Path zip = tmp.resolve("hello.zip");
    cas("package", EXAMPLE.toString(), "--out", zip.toString());

    Run run =
        cas(
            "validate",
            zip.toString(),
            "--compatibility",
            "--cas-version",
            "0.9.0",
            "--java-version",
            "17");

    assertThat(run.exit()).isEqualTo(Cas.REFUSED);
    assertThat(run.err())
        .contains(
            "INCOMPATIBLE_HOST: plugin [hello-docs] is not compatible with this host: casVersion"
                + " requires [>=1.0.0] but found [0.9.0]; javaVersion requires [>=21] but found [17]");
  }

  @Test
  void aFrontendModuleMustBeInThePackageAndARouteMustShowAListedComponent() throws IOException {
    Path folder = tmp.resolve("with-frontend");
    copyTree(EXAMPLE, folder);
    Path manifest = folder.resolve("plugin.json");
    String frontend =
        "\"status\": \"active\", \"frontend\": {\"components\": [{\"tag\": \"hello-view\","
            + " \"module\": \"hello.js\"}], \"routes\": [{\"path\": \"/hello\", \"title\":"
            + " \"Hello\", \"component\": \"hello-view\"}]}";
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"status\": \"active\"", frontend));

    Run missing = cas("package", folder.toString(), "--out", tmp.resolve("a.zip").toString());
    assertThat(missing.exit()).isEqualTo(Cas.REFUSED);
    assertThat(missing.err())
        .contains(
            "REFERENCED_FILE_MISSING: file [frontend/dist/hello.js] named by"
                + " frontend.components[0].module is not in the package");

    Files.createDirectories(folder.resolve("frontend/dist"));
    Files.writeString(folder.resolve("frontend/dist/hello.js"), "// hello\n");
    Path zip = tmp.resolve("b.zip");
    assertThat(cas("package", folder.toString(), "--out", zip.toString()).exit()).isZero();
    Run valid = cas("validate", zip.toString(), "--strict", "--json");
    assertThat(valid.exit()).as(valid.err()).isZero();

    Files.writeString(
        manifest,
        Files.readString(manifest)
            .replace("\"component\": \"hello-view\"", "\"component\": \"nope-view\""));
    Run unlisted = cas("package", folder.toString(), "--out", tmp.resolve("c.zip").toString());
    assertThat(unlisted.exit()).isEqualTo(Cas.REFUSED);
    assertThat(unlisted.err())
        .contains(
            "plugin.json field [frontend.routes[0].component] breaks rule [route-component]:"
                + " [nope-view] is not one of frontend.components' tags [hello-view]");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(cas("validate").exit()).isEqualTo(Cas.USAGE);
    assertThat(cas("validate", tmp.resolve("absent.zip").toString()).err())
        .contains("package [" + tmp.resolve("absent.zip") + "] does not exist");
    assertThat(cas("validate", tmp.resolve("absent.zip").toString()).exit()).isEqualTo(Cas.USAGE);
    assertThat(cas("package", EXAMPLE.toString(), "--sign").err())
        .contains("--sign needs --key KEY.pem");
    assertThat(cas("keygen", "--algorithm", "dsa", "--out", tmp.toString()).exit())
        .isEqualTo(Cas.USAGE);
    assertThat(cas("frobnicate").exit()).isEqualTo(Cas.USAGE);
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"keygen", "package", "sign", "validate", "inspect"}) {
      Run run = cas(command, "--help");
      assertThat(run.exit()).isZero();
      assertThat(run.out()).contains("Usage: cas " + command);
    }
  }

  @Test
  void sourceDateEpochOrCreatedAtMakeReproduciblePackages() throws IOException {
    Path a = tmp.resolve("a.zip");
    Path b = tmp.resolve("b.zip");
    cas(
        "package",
        EXAMPLE.toString(),
        "--out",
        a.toString(),
        "--created-at",
        "2026-01-02T03:04:05Z");
    cas(
        "package",
        EXAMPLE.toString(),
        "--out",
        b.toString(),
        "--created-at",
        "2026-01-02T03:04:05Z");
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }
}
