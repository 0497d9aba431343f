package dev.cas.cli;

import dev.cas.packaging.PackageFile;
import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.PemKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cas package}: a plugin folder into a portable, deterministic package. */
@Command(
    name = "package",
    mixinStandardHelpOptions = true,
    description = {
      "Package a plugin folder laid out like the package (plugin.json, backend/, frontend/, docs/,"
          + " data/, tests/) into a ZIP with metadata.json, README.md, checksum.sha256 and, with"
          + " --sign, signature.sig.",
      "The output is deterministic: the same folder and --created-at give the same bytes."
          + " SOURCE_DATE_EPOCH is honoured when --created-at is not given."
    })
final class PackageCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "the plugin folder")
  Path dir;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "the package to write (default: <id>-v<version>.zip here)")
  Path out;

  @Option(names = "--sign", description = "sign the package (needs --key)")
  boolean sign;

  @Option(
      names = "--key",
      paramLabel = "KEY.pem",
      description = "PKCS#8 private key (RSA 2048+ or Ed25519)")
  Path key;

  @Option(
      names = "--include-data",
      description = "include data/ (configuration and reference data)")
  boolean includeData;

  @Option(
      names = "--strict",
      description =
          "refuse unknown manifest fields and permissions, and migrations without rollback")
  boolean strict;

  @Option(
      names = "--created-at",
      paramLabel = "ISO-8601",
      description = "creation time recorded in metadata.json")
  String createdAt;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Override
  public Integer call() {
    CliFiles.requireFolder(dir, "plugin folder");
    if (sign && key == null) {
      throw new UsageException("--sign needs --key KEY.pem");
    }
    if (key != null && !sign) {
      throw new UsageException("--key is only used with --sign");
    }
    PackageWriter.Builder builder =
        PackageWriter.builder().createdAt(creationTime()).includeData(includeData).strict(strict);
    if (sign) {
      builder.signWith(PemKeys.readPrivate(CliFiles.requireFile(key, "--key")));
    }
    Path target = out != null ? out : Path.of(Manifests.fileName(dir));
    PackageWriter.Result result = builder.build().write(dir, target);
    print(result);
    return Cas.OK;
  }

  private Instant creationTime() {
    try {
      if (createdAt != null) {
        return Instant.parse(createdAt);
      }
      String epoch = System.getenv("SOURCE_DATE_EPOCH");
      if (epoch != null && !epoch.isBlank()) {
        return Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
      }
      return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new UsageException("invalid creation time: " + e.getMessage());
    }
  }

  private void print(PackageWriter.Result result) {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    result.warnings().forEach(w -> err.println("warning: " + w));
    long bytes = result.files().stream().mapToLong(PackageFile::size).sum();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", result.zip().toString());
      m.put("id", result.manifest().id());
      m.put("version", result.manifest().version());
      m.put("sha256", result.sha256());
      m.put("files", result.files().size());
      m.put("uncompressedBytes", bytes);
      m.put("signerKeyId", result.signerKeyId().orElse(null));
      m.put("warnings", result.warnings());
      Json.print(o, m);
      return;
    }
    o.println(
        "packaged "
            + result.manifest().id()
            + " "
            + result.manifest().version()
            + " -> "
            + result.zip()
            + " ("
            + result.files().size()
            + " files, "
            + bytes
            + " bytes)");
    o.println("sha256 " + result.sha256());
    Optional<String> signer = result.signerKeyId();
    o.println(signer.map(k -> "signed by " + k).orElse("unsigned"));
  }
}
