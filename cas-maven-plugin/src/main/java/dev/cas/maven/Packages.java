package dev.cas.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;

/** Finds the package the {@code package} goal wrote, for the goals that run after it. */
final class Packages {

  private Packages() {}

  static Path find(File configured, Map<?, ?> pluginContext, File buildDirectory)
      throws MojoFailureException {
    if (configured != null) {
      if (!configured.isFile()) {
        throw new MojoFailureException("the package [" + configured + "] does not exist");
      }
      return configured.toPath();
    }
    if (pluginContext != null && pluginContext.get(PackageMojo.CONTEXT_PACKAGE) instanceof File f) {
      return f.toPath();
    }
    List<Path> zips;
    try (Stream<Path> files =
        Files.isDirectory(buildDirectory.toPath())
            ? Files.list(buildDirectory.toPath())
            : Stream.empty()) {
      zips = files.filter(p -> p.getFileName().toString().matches(".+-v.+\\.zip")).toList();
    } catch (IOException e) {
      throw new MojoFailureException("cannot list [" + buildDirectory + "]: " + e.getMessage(), e);
    }
    if (zips.size() != 1) {
      throw new MojoFailureException(
          "found "
              + zips.size()
              + " packages (<id>-v<version>.zip) in ["
              + buildDirectory
              + "]; run the package goal first or set packageFile");
    }
    return zips.getFirst();
  }
}
