package dev.cas.server.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The host's folders under its data directory: {@code plugins/<id>/<version>-<tag>} for unpacked
 * plugins, {@code tmp/} for work that a restart throws away.
 *
 * @param dataDir the host's data directory
 */
public record HostFolders(Path dataDir) {

  /** Where installed plugins are unpacked, one folder per plugin and version. */
  public Path pluginsDir() {
    return dataDir.resolve("plugins");
  }

  /** A new, empty folder under {@code tmp/}; removed by its user, and at every start. */
  public Path tempDir() {
    Path dir = dataDir.resolve("tmp").resolve(UUID.randomUUID().toString());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** Removes the folders of a plugin's other versions after an upgrade. */
  public void deleteOldVersions(String id, Path keep) {
    try (Stream<Path> dirs = Files.list(pluginsDir().resolve(id))) {
      for (Path d : dirs.toList()) {
        if (!keep.startsWith(d.toRealPath())) {
          deleteTree(d);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a file or a folder with everything in it; nothing when it does not exist. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
