package dev.cas.sandbox.checker;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Real paths as the kernel reads them: symbolic links resolved before {@code ..}, so neither a link
 * inside a plugin's folder nor {@code <own>/link/../x} can point out of it.
 */
final class FilePaths {

  /** The JDK's own files, readable by all code. */
  static final Path JAVA_HOME = real(Path.of(System.getProperty("java.home")));

  private FilePaths() {}

  /**
   * The real path of {@code path}; for a file that does not exist yet, the real path of its longest
   * existing prefix with the rest appended (what an open with CREATE would make).
   *
   * <p>Threat: a checker that normalizes the text first reads {@code <own>/up/../x} as {@code
   * <own>/x}, while the kernel follows {@code up} (a link to elsewhere) and then goes up from its
   * target. So nothing is normalized as text before the links are resolved: an existing path goes
   * to {@code realpath(3)} whole ({@code toRealPath}), and a missing one is walked component by
   * component, each existing prefix resolved before the next {@code ..} is applied.
   */
  static Path real(Path path) {
    Path absolute = path.toAbsolutePath();
    try {
      return absolute.toRealPath();
    } catch (IOException missing) {
      return walk(absolute);
    }
  }

  private static Path walk(Path absolute) {
    Path current = absolute.getRoot();
    for (Path component : absolute) {
      String name = component.toString();
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        // current is a real path (or a real one with missing names after it): its parent is
        // where the kernel goes.
        Path parent = current.getParent();
        current = parent != null ? parent : current;
        continue;
      }
      current = current.resolve(name);
      try {
        current = current.toRealPath();
      } catch (IOException missing) {
        // Not there (yet): kept as named; a later ".." takes it off again.
      }
    }
    return current;
  }
}
