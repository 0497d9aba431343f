package dev.cas.sandbox.checker;

import java.io.IOException;
import java.nio.file.Path;

/** Real paths: symlinks resolved, so a link inside a plugin's folder cannot point out of it. */
final class FilePaths {

  /** The JDK's own files, readable by all code. */
  static final Path JAVA_HOME = real(Path.of(System.getProperty("java.home")));

  private FilePaths() {}

  /**
   * The real path of {@code path}; for a file that does not exist yet, the real path of its nearest
   * existing ancestor with the rest appended (what an open with CREATE would make).
   */
  static Path real(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException missing) {
      Path parent = absolute.getParent();
      if (parent == null) {
        return absolute;
      }
      return real(parent).resolve(absolute.getFileName());
    }
  }
}
