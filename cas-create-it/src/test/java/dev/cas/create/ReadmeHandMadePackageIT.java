package dev.cas.create;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "A package by hand" lines, run as written with bash, zip, sha256sum and openssl on a
 * copy of examples/hello-docs next to a {@code cas} that runs this checkout's launcher: the package
 * validates under a required signature and holds no key.
 */
class ReadmeHandMadePackageIT {

  static Path root = Path.of(System.getProperty("cas.root", "..")).toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void handMadePackageRecipeRunsAsWritten() throws Exception {
    runsAndValidates(shellBlockAfter(root.resolve("README.md"), "### A package by hand"));
  }

  /**
   * The README's RSA variant: its two commands, quoted after the recipe, in place of the Ed25519
   * key's and signature's lines.
   */
  @Test
  void rsaVariantOfTheRecipeRunsAsWritten() throws Exception {
    String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
    Matcher rsa = Pattern.compile("\\(For RSA: `([^`]+)` and\\s+`([^`]+)`\\.\\)").matcher(readme);
    assertThat(rsa.find()).as("the RSA variant after the recipe in README.md").isTrue();
    String script = shellBlockAfter(root.resolve("README.md"), "### A package by hand");
    String keyLine = "openssl genpkey -algorithm ed25519 -out key.pem";
    String signLine =
        "openssl pkeyutl -sign -rawin -inkey ../key.pem -in checksum.sha256 -out signature.sig";
    assertThat(script).contains(keyLine, signLine);
    runsAndValidates(script.replace(keyLine, rsa.group(1)).replace(signLine, rsa.group(2)));
  }

  private void runsAndValidates(String script) throws Exception {
    copyTree(root.resolve("examples/hello-docs"), tmp.resolve("my-plugin"));
    Path cas = tmp.resolve("cas");
    Files.writeString(cas, "#!/usr/bin/env bash\nexec '" + root.resolve("cas") + "' \"$@\"\n");
    Files.setPosixFilePermissions(cas, PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder pb =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
            .directory(tmp.toFile())
            .redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("valid: hello-docs").contains("signature verified");
    try (ZipFile zip = new ZipFile(tmp.resolve("my-plugin-v1.0.0.zip").toFile())) {
      assertThat(zip.stream().map(e -> e.getName()))
          .contains("plugin.json", "checksum.sha256", "signature.sig")
          .noneMatch(n -> n.endsWith(".pem"));
    }
  }

  /** The first ```sh block after the heading, as it stands in the file. */
  static String shellBlockAfter(Path markdown, String heading) throws IOException {
    String text = Files.readString(markdown, StandardCharsets.UTF_8);
    int at = text.indexOf(heading);
    assertThat(at).as("heading [" + heading + "] in " + markdown).isNotNegative();
    int start = text.indexOf("```sh\n", at) + "```sh\n".length();
    int end = text.indexOf("```", start);
    return text.substring(start, end);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
