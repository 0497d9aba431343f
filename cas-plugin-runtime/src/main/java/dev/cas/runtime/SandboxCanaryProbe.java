package dev.cas.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Not an API: the code of the sandbox's start-up canary ({@link PluginSandbox#runCanary}). The
 * canary defines this class afresh in a loader registered with the empty policy, so here it is
 * plugin code that may do nothing sensitive. Each attempt reports {@code <operation>: denied} or
 * what happened instead. No lambdas: they would define classes of their own.
 */
public final class SandboxCanaryProbe implements Function<Path, List<String>> {

  private static final String DENIAL = "dev.cas.sandbox.checker.PluginPermissionDenied";
  private static final String PROPERTY = "cas.sandbox.canary";

  @Override
  public List<String> apply(Path outsideFile) {
    List<String> results = new ArrayList<>();
    String read = "read [" + outsideFile + "]";
    try {
      Files.readAllBytes(outsideFile);
      results.add(read + " was not denied (it returned the file)");
    } catch (Exception e) {
      results.add(outcome(read, e));
    }
    String process = "start the process [true]";
    try {
      Process p = new ProcessBuilder("true").start();
      p.waitFor();
      results.add(process + " was not denied (it started)");
    } catch (Exception e) {
      results.add(outcome(process, e));
    }
    String property = "set the system property [" + PROPERTY + "]";
    try {
      System.setProperty(PROPERTY, "set");
      System.clearProperty(PROPERTY);
      results.add(property + " was not denied (it was set)");
    } catch (Exception e) {
      results.add(outcome(property, e));
    }
    return results;
  }

  private static String outcome(String attempt, Exception e) {
    if (e.getClass().getName().equals(DENIAL)) {
      return attempt + ": denied";
    }
    return attempt + " was not denied (" + e + ")";
  }
}
