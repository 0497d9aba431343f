package dev.cas.cli;

import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads a package into a temporary folder for the length of one command, then removes it. */
final class PackageOpener {

  private PackageOpener() {}

  static <T> T withPackage(Path zip, ReadOptions options, Function<PluginPackage, T> action) {
    CliFiles.requireFile(zip, "package");
    Path work = CliFiles.tempFolder("cas-");
    try {
      PluginPackage pkg = PackageReader.create(options).read(zip, work.resolve("package"));
      return action.apply(pkg);
    } finally {
      CliFiles.deleteTree(work);
    }
  }
}
