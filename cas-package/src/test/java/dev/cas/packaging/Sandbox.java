package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads packages into a target folder nested a few levels under a test's temporary folder, and
 * checks after a refusal that the target is empty and that nothing changed anywhere under the
 * temporary folder: not in the target, not beside it, not in the folders a {@code ..} reaches.
 */
final class Sandbox {

  private final Path root;
  private final Path target;

  Sandbox(Path root) {
    this.root = root;
    this.target = root.resolve("sandbox/a/b/target");
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path target() {
    return target;
  }

  PluginPackage read(Path zip, ReadOptions options) {
    return PackageReader.create(options).read(zip, target);
  }

  PackageException refuse(Path zip) {
    return refuse(zip, ReadOptions.defaults());
  }

  /** Reads {@code zip} expecting a refusal, and checks that the refusal left nothing behind. */
  PackageException refuse(Path zip, ReadOptions options) {
    Map<String, Long> before = snapshot(root);
    Throwable thrown = catchThrowable(() -> PackageReader.create(options).read(zip, target));
    assertThat(thrown).as("reading %s", zip.getFileName()).isInstanceOf(PackageException.class);
    assertThat(children(target)).as("extraction target after the refusal").isEmpty();
    assertThat(snapshot(root))
        .as("files under the temp folder after the refusal")
        .isEqualTo(before);
    return (PackageException) thrown;
  }

  /**
   * Asserts that the file a naive extractor would have written for each hostile entry name does not
   * exist, wherever it resolves: above the target, at an absolute path, behind a drive letter.
   */
  void assertNotWritten(String... names) {
    for (String name : names) {
      String slashed = name.replace('\\', '/');
      Path naive =
          slashed.startsWith("/")
              ? Path.of(slashed)
              : target.resolve(slashed.replaceFirst("^[A-Za-z]:/*", "")).normalize();
      assertThat(naive).as("where entry [%s] would land", name).doesNotExist();
    }
  }

  static List<Path> children(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every path under {@code dir} with its size (-1 for folders), links not followed. */
  static Map<String, Long> snapshot(Path dir) {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
        boolean folder = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        out.put(dir.relativize(p).toString(), folder ? -1L : Files.size(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
