package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers ({@code ./cas}, {@code ./test}, {@code ./bench}) find a JDK 25 or newer through
 * {@code bin/find-jdk.sh}, and refuse an older one with one clear line.
 */
class LauncherJdkTest {

  private static final Path FIND_JDK =
      Path.of(System.getProperty("user.dir")).resolveSibling("bin").resolve("find-jdk.sh");

  @TempDir Path tmp;

  /** A fake JDK whose {@code java} reports this feature version. */
  private Path fakeJdk(String name, String version) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("jvm").resolve(name).resolve("bin"));
    for (String tool : new String[] {"java", "javac"}) {
      Path script = bin.resolve(tool);
      Files.writeString(
          script,
          "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n",
          StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return bin.getParent();
  }

  private record Run(int exit, String out) {}

  private Run findJdk(String javaHome) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                "-c",
                ". \"$1\" && cas_find_jdk && echo \"$JAVA_HOME\"",
                "find",
                FIND_JDK.toString())
            .redirectErrorStream(true);
    pb.environment().put("CAS_JVM_ROOT", tmp.resolve("jvm").toString());
    pb.environment().put("JAVA_HOME", javaHome);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return new Run(p.waitFor(), out);
  }

  @Test
  void olderJdkIsRefusedWithOneLine() throws Exception {
    Path jdk17 = fakeJdk("jdk-17", "17");

    Run run = findJdk(jdk17.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "cas: JDK 25 or newer needed, found "
                + jdk17
                + " (17); set JAVA_HOME to one (or install one under "
                + tmp.resolve("jvm")
                + ")");
  }

  @Test
  void anOldJavaHomeIsPassedOverForANewerInstalledJdk() throws Exception {
    Path jdk17 = fakeJdk("jdk-17", "17");
    Path jdk25 = fakeJdk("jdk-25", "25");

    Run run = findJdk(jdk17.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo(jdk25.toString());
  }
}
