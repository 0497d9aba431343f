package dev.cas.cli;

import dev.cas.packaging.CasVersion;
import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.PackageException;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.packaging.SecurityFinding;
import dev.cas.packaging.SecurityScanner;
import dev.cas.packaging.SignaturePolicy;
import dev.cas.packaging.TrustStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cas validate}: every check a host makes on import, without a host. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a package as a host would on import: safe extraction, checksums, manifest, referenced"
          + " files; with --signature the signature against trusted keys; with --compatibility the"
          + " host and Java versions, @cas/* API ranges and plugin dependencies.",
      "Exit 0 when valid, 1 when refused (the reason and the entry at fault on stderr)."
    })
final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the package")
  Path file;

  @Option(
      names = "--strict",
      description =
          "refuse unknown manifest fields and permissions, and migrations without rollback")
  boolean strict;

  @Option(names = "--signature", description = "require a signature by a --trust key")
  boolean signature;

  @Option(
      names = "--trust",
      paramLabel = "PUB.pem",
      arity = "1..*",
      description = "trusted public keys (X.509 PEM)")
  List<Path> trust = new ArrayList<>();

  @Option(
      names = "--policy",
      paramLabel = "POLICY",
      description =
          "signature policy: required, if-present or off (default: required with --signature, if-present with --trust, else off)")
  String policy;

  @Option(names = "--compatibility", description = "check compatibility with a host")
  boolean compatibility;

  @Option(
      names = "--cas-version",
      paramLabel = "V",
      description = "host version for --compatibility (default: this build's)")
  String casVersion;

  @Option(
      names = "--java-version",
      paramLabel = "N",
      description = "host Java feature version for --compatibility (default: the running one)")
  Integer javaVersion;

  @Option(
      names = "--installed",
      paramLabel = "ID@VERSION",
      arity = "1..*",
      description = "plugins installed and active on the host, for --compatibility")
  List<String> installed = new ArrayList<>();

  @Option(
      names = "--security",
      description = "scan the code and files: sensitive JDK calls, secrets, bundled libraries")
  boolean security;

  @Option(
      names = "--risk-threshold",
      paramLabel = "RISK",
      defaultValue = "critical",
      description =
          "with --security, refuse at this risk or above: low, medium, high, critical (default: ${DEFAULT-VALUE}; --strict counts bundled libraries too)")
  String riskThreshold;

  @Option(
      names = "--sbom",
      paramLabel = "FILE",
      description = "with --security, write the bundled libraries as CycloneDX JSON")
  Path sbom;

  @Option(names = "--json", description = "print the result as JSON on stdout")
  boolean json;

  @Override
  public Integer call() {
    SignaturePolicy signaturePolicy = signaturePolicy();
    TrustStore trustStore =
        TrustStore.load(trust.stream().map(p -> CliFiles.requireFile(p, "--trust")).toList());
    if (signaturePolicy != SignaturePolicy.OFF && trustStore.size() == 0 && signature) {
      throw new UsageException("--signature needs at least one --trust PUB.pem");
    }
    CompatibilityChecker.Host host = host();
    ReadOptions options =
        ReadOptions.defaults()
            .withStrictManifest(strict)
            .withSignatures(signaturePolicy, trustStore);
    try {
      return PackageOpener.withPackage(
          file,
          options,
          pkg -> {
            if (compatibility) {
              CompatibilityChecker.requireCompatible(pkg.manifest(), host);
            }
            SecurityScanner.Report scan = security ? scan(pkg) : null;
            report(pkg, signaturePolicy, scan);
            return Cas.OK;
          });
    } catch (PackageException e) {
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", false);
        m.put("reason", e.reason().name());
        m.put("path", e.path().orElse(null));
        m.put("message", e.getMessage());
        Json.print(spec.commandLine().getOut(), m);
      }
      throw e;
    }
  }

  private SignaturePolicy signaturePolicy() {
    if (policy != null) {
      try {
        return SignaturePolicy.parse(policy);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (signature) {
      return SignaturePolicy.REQUIRED;
    }
    return trust.isEmpty() ? SignaturePolicy.OFF : SignaturePolicy.IF_PRESENT;
  }

  private CompatibilityChecker.Host host() {
    Map<String, String> plugins = new LinkedHashMap<>();
    for (String item : installed) {
      int at = item.lastIndexOf('@');
      if (at <= 0 || at == item.length() - 1) {
        throw new UsageException("--installed takes ID@VERSION, not [" + item + "]");
      }
      plugins.put(item.substring(0, at), item.substring(at + 1));
    }
    return CompatibilityChecker.Host.of(
        casVersion != null ? casVersion : CasVersion.current(),
        javaVersion != null ? javaVersion : CasVersion.javaFeature(),
        plugins);
  }

  private SecurityScanner.Report scan(PluginPackage pkg) {
    SecurityFinding.Risk threshold;
    try {
      threshold = SecurityFinding.Risk.parse(riskThreshold);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    SecurityScanner.Report scan = SecurityScanner.scan(pkg);
    if (sbom != null) {
      try {
        java.nio.file.Files.writeString(sbom, SecurityScanner.cycloneDx(pkg, scan));
      } catch (java.io.IOException e) {
        throw new UsageException("cannot write --sbom [" + sbom + "]: " + e.getMessage());
      }
    }
    if (!json) {
      PrintWriter err = spec.commandLine().getErr();
      scan.findings().stream()
          .filter(f -> f.risk().compareTo(SecurityFinding.Risk.MEDIUM) >= 0)
          .limit(50)
          .forEach(f -> err.println("security: " + f.describe()));
    }
    scan.requireBelow(threshold, strict);
    return scan;
  }

  private void report(
      PluginPackage pkg, SignaturePolicy signaturePolicy, SecurityScanner.Report scan) {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    pkg.warnings().forEach(w -> err.println("warning: " + w));
    String signatureState =
        pkg.signerKeyId()
            .map(k -> "signature verified, key " + k)
            .orElse(
                pkg.signed()
                    ? "signed, signature not checked (policy " + signaturePolicy + ")"
                    : "unsigned");
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("valid", true);
      m.put("id", pkg.manifest().id());
      m.put("version", pkg.manifest().version());
      m.put("files", pkg.files().size());
      m.put("signed", pkg.signed());
      m.put("signerKeyId", pkg.signerKeyId().orElse(null));
      m.put("compatibilityChecked", compatibility);
      if (scan != null) {
        m.put("securityFindings", scan.findings());
        m.put(
            "bundledLibraries",
            scan.components().stream().map(SecurityScanner.SbomComponent::purl).toList());
      }
      m.put("warnings", pkg.warnings());
      Json.print(o, m);
      return;
    }
    o.println(
        "valid: "
            + pkg.manifest().id()
            + " "
            + pkg.manifest().version()
            + " ("
            + pkg.files().size()
            + " files; "
            + signatureState
            + (compatibility ? "; compatible" : "")
            + ")");
  }
}
