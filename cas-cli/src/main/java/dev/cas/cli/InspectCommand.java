package dev.cas.cli;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageFile;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cas inspect}: what is in a package. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show a package's manifest, files and sizes, and who signed it (as metadata.json claims;"
          + " cas validate --signature verifies it). The package is read safely and its checksums"
          + " are verified."
    })
final class InspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the package")
  Path file;

  @Option(names = "--json", description = "print as JSON")
  boolean json;

  @Override
  public Integer call() {
    PackageOpener.withPackage(
        file,
        ReadOptions.defaults(),
        pkg -> {
          if (json) {
            printJson(pkg);
          } else {
            printText(pkg);
          }
          return null;
        });
    return Cas.OK;
  }

  private void printJson(PluginPackage pkg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("manifest", pkg.manifest());
    m.put("metadata", pkg.metadata().orElse(null));
    m.put("signed", pkg.signed());
    m.put("files", pkg.files());
    m.put("totalBytes", pkg.totalBytes());
    m.put("warnings", pkg.warnings());
    Json.print(spec.commandLine().getOut(), m);
  }

  private void printText(PluginPackage pkg) {
    PrintWriter o = spec.commandLine().getOut();
    Manifest m = pkg.manifest();
    o.println(m.name() + " (" + m.id() + ") " + m.version());
    o.println("  " + m.description());
    m.author().ifPresent(a -> o.println("  author:       " + a));
    m.license().ifPresent(l -> o.println("  license:      " + l));
    m.main().ifPresent(c -> o.println("  main class:   " + c));
    o.println("  status:       " + m.status().id() + (m.isSystem() ? " (system plugin)" : ""));
    o.println(
        "  permissions:  "
            + (m.permissions().isEmpty() ? "(none)" : String.join(", ", m.permissions())));
    m.compatibility().casVersion().ifPresent(v -> o.println("  cas version:  " + v));
    m.compatibility().javaVersion().ifPresent(v -> o.println("  java version: " + v));
    m.compatibility().dependencies().forEach((k, v) -> o.println("  depends on:   " + k + " " + v));
    o.println(
        "  schema:       " + m.database().schema().orElse("") + " tables " + m.database().tables());
    pkg.metadata()
        .ifPresent(
            md -> {
              o.println(
                  "  created:      "
                      + md.createdAt()
                      + " by "
                      + md.createdBy()
                      + " with "
                      + md.tool());
              o.println(
                  "  signer:       "
                      + md.signing()
                          .map(
                              s ->
                                  s.keyId()
                                      + " ("
                                      + s.algorithm()
                                      + ", claimed; verify with cas validate --signature)")
                          .orElse(
                              pkg.signed() ? "signed, no key named in metadata.json" : "unsigned"));
            });
    o.println("files (" + pkg.files().size() + ", " + pkg.totalBytes() + " bytes):");
    for (PackageFile f : pkg.files()) {
      o.printf("  %10d  %s%n", f.size(), f.path());
    }
    pkg.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
  }
}
