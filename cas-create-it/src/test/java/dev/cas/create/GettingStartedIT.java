package dev.cas.create;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/getting-started.md's steps 2 and 3 run as written with bash: {@code ./cas create …} then
 * {@code ./mvnw verify} in the new folder. HOME is a temporary folder (so {@code ~/src} and the
 * development key are there), and MAVEN_ARGS, which Maven appends to every command line, points it
 * at the throwaway repository holding this build's artifacts.
 */
class GettingStartedIT {

  @TempDir Path home;

  @Test
  void createAndVerifyRunAsWritten() throws Exception {
    Path root = CreateProjectIT.root;
    Path repo =
        ThrowawayRepository.create(
            root, CreateProjectIT.version, root.resolve("cas-create-it/target/it-repo"));
    Path doc = root.resolve("docs/getting-started.md");
    String script =
        ReadmeHandMadePackageIT.shellBlockAfter(doc, "## 2. Create the project")
            + ReadmeHandMadePackageIT.shellBlockAfter(doc, "## 3. Build and test");
    Path cas = home.resolve("cas");
    Files.writeString(cas, "#!/usr/bin/env bash\nexec '" + root.resolve("cas") + "' \"$@\"\n");
    Files.setPosixFilePermissions(cas, PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder pb =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
            .directory(home.toFile())
            .redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    // The wrapper's Maven stays where it was downloaded; only the build's repository changes.
    pb.environment().put("MAVEN_USER_HOME", userM2().toString());
    pb.environment().remove("MAVEN_OPTS");
    pb.environment()
        .put(
            "MAVEN_ARGS",
            "-B -ntp -o -Dmaven.repo.local="
                + repo
                + " -Dmaven.repo.local.tail="
                + System.getProperty("maven.home.repo")
                // The JVM takes user.home from the account, not HOME: name the key's folder.
                + " -Dcas.devKeyDirectory="
                + home.resolve(".cas/dev-signing-key"));
    Path log = home.resolve("getting-started.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(tail(out)).isZero();
    assertThat(out).contains("created hello-notes (backend)", "Tests run: 4", "BUILD SUCCESS");
    assertThat(home.resolve("src/hello-notes/target/hello-notes-v0.1.0.zip")).isRegularFile();
    assertThat(home.resolve(".cas/dev-signing-key/private-key.pem")).isRegularFile();
  }

  private static Path userM2() throws IOException {
    return Path.of(System.getProperty("user.home"), ".m2");
  }

  private static String tail(String text) {
    return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
  }
}
