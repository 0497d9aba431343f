package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./cas}'s first run builds with {@code install -DskipTests}; Failsafe 3.6.1 no longer takes
 * that property (it reads {@code skipITs}), so the parent POM makes {@code skipITs} follow it.
 * Without that, a newcomer's first {@code ./cas server --with-samples} ran the sandbox's and the
 * server's integration tests for minutes.
 */
class BuildSkipsTestsTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void integrationTestsFollowSkipTests() throws IOException {
    String parent = read(ROOT.resolve("pom.xml"));
    assertThat(parent).contains("<skipTests>false</skipTests>", "<skipITs>${skipTests}</skipITs>");
    // No module may pin skipITs itself: that would undo -DskipTests (and -DskipITs) for it.
    try (Stream<Path> walk = Files.walk(ROOT, 3)) {
      List<String> pinning =
          walk.filter(p -> p.getFileName().toString().equals("pom.xml"))
              .filter(p -> !p.toString().contains("/target/") && !p.equals(ROOT.resolve("pom.xml")))
              .filter(p -> read(p).contains("<skipITs>") || read(p).contains("<skipTests>"))
              .map(p -> ROOT.relativize(p).toString())
              .toList();
      assertThat(pinning).isEmpty();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
