package dev.cas.cli;

import dev.cas.packaging.ManifestParser;
import dev.cas.packaging.PackageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a plugin folder's manifest for naming the package before writing it. */
final class Manifests {

  private Manifests() {}

  /** {@code <id>-v<version>.zip} for the folder's plugin.json. */
  static String fileName(Path dir) {
    Path manifest = dir.resolve("plugin.json");
    try {
      return ManifestParser.lenient()
          .parse(Files.readAllBytes(manifest))
          .manifest()
          .packageFileName();
    } catch (IOException e) {
      throw new PackageException(
          PackageException.Reason.MANIFEST_MISSING,
          "plugin.json",
          "[" + manifest + "] cannot be read: " + e.getMessage());
    }
  }
}
