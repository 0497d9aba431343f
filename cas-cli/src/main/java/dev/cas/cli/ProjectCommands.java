package dev.cas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cas build}, {@code cas test} and {@code cas dev}: the Maven wrapper of a project made by
 * {@code cas create}, run with the right goals; extra arguments go to Maven.
 */
final class ProjectCommands {

  private ProjectCommands() {}

  /** Runs {@code DIR/mvnw} with the goals and arguments, its output passed through. */
  static int mvnw(Path dir, List<String> goals, List<String> extra) {
    Path wrapper = dir.resolve("mvnw");
    if (!Files.isRegularFile(dir.resolve("pom.xml")) || !Files.isExecutable(wrapper)) {
      throw new UsageException(
          "["
              + dir.toAbsolutePath()
              + "] is not a plugin project (no pom.xml and executable mvnw); make one with cas"
              + " create, or give --dir");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(wrapper.toAbsolutePath().toString());
    cmd.addAll(goals);
    cmd.addAll(extra);
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
      return p.waitFor() == 0 ? Cas.OK : Cas.REFUSED;
    } catch (IOException e) {
      throw new UsageException("cannot run [" + wrapper + "]: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Cas.REFUSED;
    }
  }

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = "Build the plugin's signed package: ./mvnw package (no integration tests).")
  static final class Build implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = ".", description = "the project (default: here)")
    Path dir;

    @Parameters(paramLabel = "MAVEN_ARG", description = "passed to Maven")
    List<String> extra = new ArrayList<>();

    @Override
    public Integer call() {
      return mvnw(dir, List.of("package"), extra);
    }
  }

  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = "Build, test against a real host and validate the package: ./mvnw verify.")
  static final class Test implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = ".", description = "the project (default: here)")
    Path dir;

    @Parameters(paramLabel = "MAVEN_ARG", description = "passed to Maven")
    List<String> extra = new ArrayList<>();

    @Override
    public Integer call() {
      return mvnw(dir, List.of("verify"), extra);
    }
  }

  @Command(
      name = "dev",
      mixinStandardHelpOptions = true,
      description =
          "A dev host with the plugin installed, upgraded in place at each rebuild (cas build in"
              + " another terminal): ./mvnw cas:run.")
  static final class Dev implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = ".", description = "the project (default: here)")
    Path dir;

    @Option(names = "--port", defaultValue = "8080", description = "(default: ${DEFAULT-VALUE})")
    int port;

    @Parameters(paramLabel = "MAVEN_ARG", description = "passed to Maven")
    List<String> extra = new ArrayList<>();

    @Override
    public Integer call() {
      return mvnw(dir, List.of("cas:run", "-Dcas.port=" + port), extra);
    }
  }
}
