package dev.cas.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link HostileProbe} in a child JVM, with the built sandbox agent or without it. */
final class ChildJvm {

  /** What the child printed and how it ended. */
  record Run(int exitCode, List<String> lines) {

    /** {@code RESULT <plugin> <attack> <outcome>} lines, by "plugin attack". */
    Map<String, String> results() {
      Map<String, String> results = new LinkedHashMap<>();
      for (String line : lines) {
        if (line.startsWith("RESULT ")) {
          String[] parts = line.split(" ", 4);
          results.put(parts[1] + " " + parts[2], parts[3]);
        }
      }
      return results;
    }

    long bench(String who) {
      return lines.stream()
          .filter(l -> l.startsWith("BENCH " + who + " "))
          .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no BENCH " + who + " in " + lines));
    }
  }

  private ChildJvm() {}

  static Run run(boolean withAgent, Map<String, String> properties, List<Path> zips)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:-EnableDynamicAgentLoading");
    if (withAgent) {
      command.add("-javaagent:" + agentJar());
      // The launcher's flags for the server: no illegal native access, no Unsafe memory access.
      command.add("--illegal-native-access=deny");
      command.add("--sun-misc-unsafe-memory-access=deny");
    }
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HostileProbe.class.getName());
    zips.forEach(z -> command.add(z.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not end: " + command);
    }
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8).lines().toList());
  }

  static Path agentJar() {
    String jar = System.getProperty("cas.sandbox.agent");
    if (jar == null) {
      throw new AssertionError("run through failsafe: -Dcas.sandbox.agent=<cas-sandbox.jar>");
    }
    return Path.of(jar);
  }
}
