package dev.cas.bench;

import java.nio.file.Path;

/**
 * The child process of a cold run: creates one plugin system, loads and starts n plugins and exits
 * (exit code 0 only if all n started). {@code none} starts nothing, for the JVM's own start time.
 *
 * <p>Arguments: {@code contender dir n scratch}.
 */
public final class ColdRun {

  private ColdRun() {}

  public static void main(String[] args) throws Exception {
    Bench.quietLogging();
    if (args[0].equals("none")) {
      return;
    }
    int n = Integer.parseInt(args[2]);
    Contender.Running running =
        Contender.named(args[0]).start(Path.of(args[1]), n, Path.of(args[3]));
    System.exit(running.started() == n ? 0 : 2);
  }
}
