package dev.cas.plugins.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's host commands, as written, in the order it gives them: every {@code ./cas …} line of
 * its {@code sh} blocks but the host's own start ({@code ReadmeServerCommandIT}) and the demo. They
 * run through the real {@code ./cas} launcher, one process each, against a host with the three
 * sample plugins (the test kit's, on a random port, which {@code CAS_HOST} names), in a folder that
 * has the {@code cas-data/initial-admin-password} of set-up command 1 and a home folder of the
 * test's own.
 */
class ReadmeHostCommandsIT {

  @TempDir Path tmp;

  @Test
  void everyHostCommandOfTheReadmeRuns() throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    List<String> commands = hostCommands(Files.readAllLines(repo.resolve("README.md")));
    assertThat(commands)
        .startsWith(
            "./cas login --user admin --password-stdin < cas-data/initial-admin-password",
            "./cas plugins")
        .contains("./cas install text-block.zip --yes")
        .hasSizeGreaterThan(10);

    Path work = Files.createDirectories(tmp.resolve("work"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    // ./cas in the working folder is the checkout's launcher.
    Path launcher = work.resolve("cas");
    Files.writeString(launcher, "#!/bin/sh\nexec '" + repo.resolve("cas") + "' \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(work.resolve("cas-data"));
    Files.writeString(
        work.resolve("cas-data/initial-admin-password"), TestHost.ADMIN_PASSWORD + "\n");

    try (TestHost host = TestHost.start(tmp.resolve("host"))) {
      for (String id : List.of("text-block", "ldap-auth", "rag-retrieval")) {
        host.install(Path.of(System.getProperty(id + ".zip")));
      }
      List<String> outputs = new ArrayList<>();
      for (String command : commands) {
        ProcessBuilder pb =
            new ProcessBuilder("bash", "-c", command)
                .directory(work.toFile())
                .redirectErrorStream(true);
        pb.environment().remove("CAS_TOKEN");
        pb.environment().put("CAS_HOST", host.baseUrl());
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command + "\n" + out).isZero();
        outputs.add(out);
      }
      String all = String.join("", outputs);
      assertThat(all)
          .contains("text-block     1.0.0-SNAPSHOT  active  Text block\n")
          .contains("Text block (text-block) 1.0.0-SNAPSHOT: would install on host [")
          .contains("plugin [text-block] 1.0.0-SNAPSHOT installed on host [");
      assertThat(home.resolve(".config/cas/credentials")).doesNotExist();
      assertThat(
              host.get("/api/plugins/text-block/config", host.adminToken())
                  .data()
                  .get("values")
                  .get("fontSize")
                  .asInt())
          .isEqualTo(16);
    }
  }

  /** The {@code ./cas} lines of the README's {@code sh} blocks, less the server and the demo. */
  static List<String> hostCommands(List<String> readme) {
    List<String> commands = new ArrayList<>();
    boolean inSh = false;
    for (String line : readme) {
      String l = line.strip();
      if (l.startsWith("```")) {
        inSh = !inSh && l.equals("```sh");
        continue;
      }
      if (inSh
          && l.startsWith("./cas ")
          && !l.startsWith("./cas server")
          && !l.startsWith("./cas demo")) {
        commands.add(l);
      }
    }
    return commands;
  }
}
