package dev.cas.packaging;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system's own tools (zip, unzip, sha256sum, openssl) the way a person would. */
final class Tools {

  private Tools() {}

  /**
   * Runs a shell script in {@code dir} under the C locale; fails with its stderr unless it exits 0.
   */
  static String sh(Path dir, String script) {
    return run(dir, List.of("sh", "-c", "set -eu\n" + script));
  }

  /** Runs a command in {@code dir}; fails with its stderr unless it exits 0; returns its stdout. */
  static String run(Path dir, List<String> command) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("tool-out", ".txt");
      err = Files.createTempFile("tool-err", ".txt");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().put("LC_ALL", "C");
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("%s did not finish in 120 s", command);
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        fail(
            "%s exited with %d%nstderr: %s%nstdout: %s",
            command, process.exitValue(), Files.readString(err, StandardCharsets.UTF_8), stdout);
      }
      return stdout;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  private static void delete(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
