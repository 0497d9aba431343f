package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cas completion zsh} under a real zsh (CI installs it, as {@code .ci/run} shows): the
 * script loads after {@code compinit} without a word on standard error and registers its function
 * for {@code cas}; and in an interactive zsh on a pseudo-terminal ({@code zpty}, driven by {@code
 * complete.zsh}), TAB completes subcommands and their options.
 */
class ZshCompletionTest {

  @TempDir Path tmp;
  Path script;

  @BeforeEach
  void writeScript() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Cas.run(
            new String[] {"completion", "zsh"}, new PrintWriter(out, true), new PrintWriter(err));
    assertThat(exit).as(err.toString()).isZero();
    script = tmp.resolve("cas-completion.zsh");
    Files.writeString(script, out.toString(), StandardCharsets.UTF_8);
  }

  /** Runs zsh with no start-up files, HOME in the temporary folder; its exit and what it wrote. */
  private Result zsh(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("zsh", "-f"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    pb.environment().put("HOME", tmp.toString());
    pb.redirectError(tmp.resolve("zsh.err").toFile());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "zsh is not installed (apt-get install -y zsh; .ci/run installs it): " + e, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("zsh did not end within 120 s");
    }
    return new Result(p.exitValue(), out, Files.readString(tmp.resolve("zsh.err")));
  }

  record Result(int exit, String out, String err) {}

  @Test
  void theScriptLoadsAfterCompinitAndRegistersItsFunction() throws Exception {
    Result r =
        zsh(
            "-c",
            "autoload -U compinit && compinit -u -D && source \"$1\" && print -r -- \"${_comps[cas]}\"",
            "zsh",
            script.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("_bash_complete -F _complete_cas -o default\n");
  }

  @Test
  void tabCompletesSubcommandsAndOptionsInAnInteractiveZsh() throws Exception {
    Path driver = tmp.resolve("complete.zsh");
    try (InputStream in = ZshCompletionTest.class.getResourceAsStream("complete.zsh")) {
      Files.write(driver, in.readAllBytes());
    }
    Path lines = tmp.resolve("lines");

    Result r =
        zsh(
            driver.toString(),
            script.toString(),
            lines.toString(),
            "cas insta",
            "cas uninstall --pur",
            "cas compl",
            "cas no-such-comm");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(Files.readAllLines(lines))
        .containsExactly(
            "cas install ", "cas uninstall --purge-data ", "cas completion ", "cas no-such-comm");
  }
}
