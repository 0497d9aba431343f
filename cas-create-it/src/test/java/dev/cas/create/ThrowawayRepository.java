package dev.cas.create;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A local Maven repository under target/ holding this build's artifacts, laid out as {@code mvn
 * install} would lay them out, so that a generated project resolves them without anything being
 * installed into the user's repository.
 */
final class ThrowawayRepository {

  /** Module folder, artifact id, packaging, the jar's name under target/ (null for a pom). */
  private record Module(String folder, String artifactId, String jar) {}

  private ThrowawayRepository() {}

  static Path create(Path root, String version, Path repo) throws IOException {
    List<Module> modules =
        List.of(
            new Module(".", "cas-parent", null),
            new Module("cas-bom", "cas-bom", null),
            new Module("cas-plugin-api", "cas-plugin-api", "cas-plugin-api-" + version + ".jar"),
            new Module("cas-package", "cas-package", "cas-package-" + version + ".jar"),
            new Module(
                "cas-plugin-runtime",
                "cas-plugin-runtime",
                "cas-plugin-runtime-" + version + ".jar"),
            new Module("cas-sandbox", "cas-sandbox", "cas-sandbox.jar"),
            new Module(
                "cas-ui-components", "cas-ui-components", "cas-ui-components-" + version + ".jar"),
            new Module("cas-server", "cas-server", "cas-server.jar"),
            new Module("cas-testkit", "cas-testkit", "cas-testkit-" + version + ".jar"),
            new Module(
                "cas-maven-plugin", "cas-maven-plugin", "cas-maven-plugin-" + version + ".jar"));
    for (Module m : modules) {
      Path dir = repo.resolve("dev/cas").resolve(m.artifactId()).resolve(version);
      Files.createDirectories(dir);
      String base = m.artifactId() + "-" + version;
      Files.copy(
          root.resolve(m.folder()).resolve("pom.xml"),
          dir.resolve(base + ".pom"),
          StandardCopyOption.REPLACE_EXISTING);
      if (m.jar() != null) {
        Path jar = root.resolve(m.folder()).resolve("target").resolve(m.jar());
        if (!Files.isRegularFile(jar)) {
          throw new IllegalStateException(
              "[" + jar + "] is missing: build the reactor up to this module first (-am)");
        }
        Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return repo;
  }
}
