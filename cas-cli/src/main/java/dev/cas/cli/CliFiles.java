package dev.cas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small file chores of the commands: checking inputs and cleaning temporary folders. */
final class CliFiles {

  private CliFiles() {}

  /** Refuses a missing input with a usage error that names the option. */
  static Path requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new UsageException(what + " [" + file + "] does not exist or is not a file");
    }
    return file;
  }

  static Path requireFolder(Path dir, String what) {
    if (!Files.isDirectory(dir)) {
      throw new UsageException(what + " [" + dir + "] does not exist or is not a folder");
    }
    return dir;
  }

  static Path tempFolder(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
