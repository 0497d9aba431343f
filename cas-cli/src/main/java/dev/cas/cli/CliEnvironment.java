package dev.cas.cli;

import java.io.Console;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a command sees of the world outside its arguments: environment variables, the home folder
 * (where the credentials file lives), the working folder, standard input, and whether a person is
 * at a terminal (then uploads and downloads show a progress bar and passwords can be prompted).
 * Tests pass their own, so a test run never touches the real home folder.
 *
 * @param variables the environment variables ({@code CAS_HOST}, {@code CAS_TOKEN})
 * @param home the user's home folder
 * @param workingDir where relative output files go
 * @param stdin standard input (passwords with {@code --password-stdin}, secrets, confirmations)
 * @param terminal whether standard input and output are a terminal
 */
record CliEnvironment(
    Map<String, String> variables,
    Path home,
    Path workingDir,
    InputStream stdin,
    boolean terminal) {

  CliEnvironment {
    variables = Map.copyOf(variables);
  }

  /**
   * The real process's environment. The home folder is {@code $HOME} when set, as for git and most
   * command-line tools (the JVM's {@code user.home} comes from the password database and ignores
   * it), else {@code user.home}.
   */
  static CliEnvironment system() {
    String home = System.getenv("HOME");
    return new CliEnvironment(
        System.getenv(),
        Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home),
        Path.of("").toAbsolutePath(),
        System.in,
        isTerminal());
  }

  /** A variable's value, when it is set and not blank. */
  Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
  }

  /**
   * JDK 22+ hands out a {@link Console} even when streams are redirected and says so with {@code
   * isTerminal()}; this module compiles for release 21, so the method is looked up.
   */
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method m = Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
