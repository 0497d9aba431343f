package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code ./cas} launcher as a real process against a real host: sign-in from standard input,
 * the credentials under {@code $HOME}, exit codes, and the progress bar — drawn on a terminal (a
 * pseudo-terminal from {@code script}), absent when the output is piped.
 */
class LauncherHostIT {

  @RegisterExtension static final HostFixture HOST = new HostFixture();

  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  static Path home;

  record Proc(int exit, String out, String err) {}

  @BeforeAll
  static void install() throws IOException {
    assertThat(REPO.resolve("cas-cli/target/cas-cli.jar"))
        .as("the packaged CLI (./mvnw package -pl cas-cli -am)")
        .exists();
    home = Files.createDirectories(HOST.dir().resolve("launcher-home"));
    HOST.login();
    HostFixture.Run r = HOST.cas("install", HOST.build(NotesPackages.v1()).toString(), "--yes");
    assertThat(r.exit()).as(r.toString()).isZero();
  }

  static Proc cas(String stdin, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(REPO.resolve("cas").toString()));
    command.addAll(List.of(args));
    return run(stdin, env, command);
  }

  static Proc run(String stdin, Map<String, String> env, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(HOST.dir().toFile());
    pb.environment().remove("CAS_HOST");
    pb.environment().remove("CAS_TOKEN");
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    Path err = Files.createTempFile(HOST.dir(), "stderr", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = p.waitFor();
    return new Proc(exit, out, Files.readString(err));
  }

  @Test
  void loginFromStandardInputKeepsTheTokenUnderHomeAndTheNextCommandsUseIt() throws Exception {
    Proc login =
        cas(
            TestHost.ADMIN_PASSWORD + "\n",
            Map.of(),
            "login",
            "--host",
            HOST.url(),
            "--password-stdin");
    assertThat(login.exit()).as(login.err()).isZero();
    assertThat(home.resolve(".config/cas/credentials")).exists();

    Proc plugins = cas("", Map.of(), "plugins");
    assertThat(plugins.exit()).as(plugins.err()).isZero();
    assertThat(plugins.out())
        .isEqualTo("ID     VERSION  STATE   NAME\nnotes  1.0.0    active  notes\n");
  }

  @Test
  void exitCode3WhenTheHostIsNotThere() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Proc r = cas("", Map.of("CAS_TOKEN", "cas_x"), "plugins", "--host", "localhost:" + port);

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).startsWith("cas: cannot reach host [http://localhost:" + port + "]: ");
  }

  @Test
  void uploadsAndDownloadsShowAProgressBarOnATerminalAndNoneWhenPiped() throws Exception {
    Map<String, String> env = Map.of("CAS_HOST", HOST.url(), "CAS_TOKEN", HOST.host().adminToken());
    Proc piped = cas("", env, "export", "notes", "--out", "piped.zip");
    assertThat(piped.exit()).as(piped.err()).isZero();
    assertThat(piped.err()).isEmpty();
    assertThat(piped.out()).startsWith("exported plugin [notes]").doesNotContain("\r");

    // script(1) runs the command on a pseudo-terminal and copies what it drew to our pipe.
    Proc terminal =
        run(
            "",
            env,
            List.of(
                "script",
                "-qec",
                REPO.resolve("cas") + " export notes --out terminal.zip",
                "/dev/null"));
    assertThat(terminal.exit()).as(terminal.out() + terminal.err()).isZero();
    assertThat(terminal.out()).contains("download terminal.zip").contains("%").contains("\r");
    assertThat(HOST.dir().resolve("terminal.zip")).exists();

    // Uploads too: the package of a dry run.
    Proc upload =
        run(
            "",
            env,
            List.of(
                "script",
                "-qec",
                REPO.resolve("cas") + " install terminal.zip --dry-run",
                "/dev/null"));
    assertThat(upload.exit()).as(upload.out() + upload.err()).isZero();
    assertThat(upload.out())
        .contains("upload terminal.zip")
        .contains("dry run: nothing was changed");
    Proc pipedUpload = cas("", env, "install", "terminal.zip", "--dry-run");
    assertThat(pipedUpload.exit()).as(pipedUpload.err()).isZero();
    assertThat(pipedUpload.err()).isEmpty();
    assertThat(pipedUpload.out()).doesNotContain("upload terminal.zip").doesNotContain("\r");
  }

  @Test
  void logsFollowPrintsNewLinesUntilStopped() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(REPO.resolve("cas").toString(), "logs", "notes", "--follow")
            .directory(HOST.dir().toFile())
            .redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("CAS_HOST", HOST.url());
    pb.environment().put("CAS_TOKEN", HOST.host().adminToken());
    Process p = pb.start();
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread.ofPlatform()
        .daemon()
        .start(
            () ->
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                    .lines()
                    .forEach(lines::add));
    try {
      // The follower may start after this call: call again until a line arrives.
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (lines.stream().noneMatch(l -> l.endsWith("plugin.notes - followed by the launcher"))) {
        assertThat(System.nanoTime()).as(String.join("\n", lines)).isLessThan(deadline);
        assertThat(p.isAlive()).as(String.join("\n", lines)).isTrue();
        HOST.host()
            .get(
                "/api/plugins/notes/say?msg=followed%20by%20the%20launcher",
                HOST.host().adminToken());
        Thread.sleep(500);
      }
    } finally {
      p.destroy();
      p.waitFor();
    }
  }
}
