package dev.cas.cli;

import dev.cas.packaging.PemKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cas migrate-legacy}: a PF4J plugin jar into a package, with a report of what is lost. */
@Command(
    name = "migrate-legacy",
    mixinStandardHelpOptions = true,
    description = {
      "Turn a PF4J plugin jar (plugin.properties or Plugin-* manifest attributes) into a package:"
          + " its jar runs under a generated main class that calls the PF4J plugin's start() and"
          + " stop() when CAS activates and deactivates it; PF4J and SLF4J's API are bundled in"
          + " backend/lib, and its SLF4J logging goes to the plugin's CAS log.",
      "Prints what could not be carried over: extensions and extension points, optional"
          + " dependencies, a license that is not SPDX, and more."
    })
final class MigrateLegacyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "JAR", description = "the PF4J plugin jar")
  Path jar;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "the plugin id (default: the PF4J id made a valid one)")
  String id;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "the package to write (default: <id>-v<version>.zip here)")
  Path out;

  @Option(
      names = "--key",
      paramLabel = "KEY.pem",
      description = "sign the package with this PKCS#8 private key (RSA 2048+ or Ed25519)")
  Path key;

  @Option(
      names = "--created-at",
      paramLabel = "ISO-8601",
      description = "creation time recorded in metadata.json (default: now)")
  String createdAt;

  @Option(names = "--json", description = "print the report as JSON")
  boolean json;

  @Override
  public Integer call() {
    CliEnvironment env = ((Cas) spec.root().userObject()).env();
    Path input = env.workingDir().resolve(jar);
    CliFiles.requireFile(input, "PF4J plugin jar");
    Optional<java.security.PrivateKey> signer =
        Optional.ofNullable(key)
            .map(
                k ->
                    PemKeys.readPrivate(
                        CliFiles.requireFile(env.workingDir().resolve(k), "--key")));
    Pf4jMigration.Report report =
        new Pf4jMigration(Optional.ofNullable(id), signer, creationTime())
            .migrate(
                input,
                Optional.ofNullable(out).map(o -> env.workingDir().resolve(o)),
                env.workingDir());
    if (json) {
      Json.print(spec.commandLine().getOut(), toJson(report));
    } else {
      print(report, env.workingDir());
    }
    return Cas.OK;
  }

  private Instant creationTime() {
    if (createdAt == null) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
    try {
      return Instant.parse(createdAt);
    } catch (DateTimeParseException e) {
      throw new UsageException("--created-at [" + createdAt + "] is not an ISO-8601 instant");
    }
  }

  private void print(Pf4jMigration.Report r, Path workingDir) {
    Path zip = r.result().zip();
    PrintWriter o = spec.commandLine().getOut();
    o.println(
        "migrated PF4J plugin ["
            + r.legacy().id()
            + "] ("
            + r.legacy().source()
            + ") -> "
            + r.result().manifest().id()
            + " "
            + r.result().manifest().version()
            + " in "
            + (zip.startsWith(workingDir) ? workingDir.relativize(zip) : zip));
    o.println("  id:            " + r.result().manifest().id() + " (from " + r.idSource() + ")");
    o.println(
        "  main:          "
            + Pf4jMigration.MAIN
            + " runs "
            + r.legacy().pluginClass()
            + (r.constructor() == Pf4jJarScan.Constructor.NO_ARGUMENT
                ? " (no-argument constructor)"
                : " (PluginWrapper constructor)"));
    o.println("  lifecycle:     activate -> start(), deactivate -> stop(), uninstall -> delete()");
    o.println("  bundled:       " + String.join(", ", r.bundled()));
    o.println("  dependencies:  " + dependencies(r.dependencies()));
    o.println("  extensions:    " + (r.extensions().isEmpty() ? "none" : r.extensions().size()));
    section(o, "not carried over", r.notCarriedOver());
    section(o, "warnings", r.warnings());
    o.println("sha256 " + r.result().sha256());
    o.println(r.result().signerKeyId().map(k -> "signed by " + k).orElse("unsigned"));
  }

  private static void section(PrintWriter o, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    o.println(title + ":");
    lines.forEach(l -> o.println("  - " + l));
  }

  private static String dependencies(Map<String, String> dependencies) {
    StringBuilder s = new StringBuilder();
    dependencies.forEach(
        (k, v) -> s.append(s.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
    return s.toString();
  }

  private static Map<String, Object> toJson(Pf4jMigration.Report r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", r.result().zip().toString());
    m.put("id", r.result().manifest().id());
    m.put("version", r.result().manifest().version());
    m.put("sha256", r.result().sha256());
    m.put("signerKeyId", r.result().signerKeyId().orElse(null));
    Map<String, Object> pf4j = new LinkedHashMap<>();
    pf4j.put("source", r.legacy().source());
    pf4j.put("id", r.legacy().id());
    pf4j.put("pluginClass", r.legacy().pluginClass());
    pf4j.put("constructor", r.constructor().name());
    m.put("pf4j", pf4j);
    m.put("main", Pf4jMigration.MAIN);
    m.put("bundled", r.bundled());
    m.put("dependencies", r.dependencies());
    m.put(
        "extensions",
        r.extensions().stream()
            .map(
                e -> {
                  Map<String, Object> x = new LinkedHashMap<>();
                  x.put("class", e.className());
                  x.put("points", e.points());
                  return x;
                })
            .toList());
    m.put("extensionPoints", r.extensionPoints());
    m.put("notCarriedOver", r.notCarriedOver());
    m.put("warnings", r.warnings());
    return m;
  }
}
