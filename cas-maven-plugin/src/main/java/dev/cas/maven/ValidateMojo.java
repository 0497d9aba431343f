package dev.cas.maven;

import dev.cas.packaging.PackageException;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.packaging.SecurityFinding;
import dev.cas.packaging.SecurityScanner;
import dev.cas.packaging.SignaturePolicy;
import dev.cas.packaging.TrustStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks the package as a host would on import (what {@code cas validate --strict --security}
 * does): safe extraction, checksums, the manifest in strict mode, referenced files, the signature
 * when trusted keys are given, and the security scan. The build fails when a finding reaches {@code
 * riskThreshold}.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class ValidateMojo extends AbstractMojo {

  /** The package to check; by default the one the package goal wrote. */
  @Parameter(property = "cas.packageFile")
  private File packageFile;

  @Parameter(defaultValue = "${project.build.directory}", readonly = true)
  private File buildDirectory;

  /** Refuse unknown manifest fields and permissions, and migrations without rollback. */
  @Parameter(property = "cas.strict", defaultValue = "true")
  private boolean strict;

  /** Run the security scan (sensitive JDK calls, secrets, bundled libraries). */
  @Parameter(property = "cas.security", defaultValue = "true")
  private boolean security;

  /** Fail at this risk or above: low, medium, high or critical. */
  @Parameter(property = "cas.riskThreshold", defaultValue = "high")
  private String riskThreshold;

  /** Whether findings in bundled libraries count towards the threshold (own code always does). */
  @Parameter(property = "cas.scanLibraries", defaultValue = "false")
  private boolean scanLibraries;

  /** Public keys (X.509 PEM) to verify the signature with; it is then required. */
  @Parameter private List<File> trustedKeys = new ArrayList<>();

  @Parameter(property = "cas.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      return;
    }
    SecurityFinding.Risk threshold;
    try {
      threshold = SecurityFinding.Risk.parse(riskThreshold);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("riskThreshold: " + e.getMessage());
    }
    Path zip = Packages.find(packageFile, getPluginContext(), buildDirectory);
    for (File k : trustedKeys) {
      if (!k.isFile()) {
        throw new MojoFailureException("trusted key [" + k + "] does not exist");
      }
    }
    ReadOptions options =
        ReadOptions.defaults()
            .withStrictManifest(strict)
            .withSignatures(
                trustedKeys.isEmpty() ? SignaturePolicy.OFF : SignaturePolicy.REQUIRED,
                TrustStore.load(trustedKeys.stream().map(File::toPath).toList()));
    Path work = null;
    try {
      work = Files.createTempDirectory(buildDirectory.toPath(), "cas-validate-");
      PluginPackage pkg = PackageReader.create(options).read(zip, work.resolve("p"));
      pkg.warnings().forEach(w -> getLog().warn(w));
      if (security) {
        SecurityScanner.Report scan = SecurityScanner.scan(pkg);
        (scanLibraries ? scan.findings() : scan.ownCode())
            .stream()
                .filter(f -> f.risk().compareTo(SecurityFinding.Risk.MEDIUM) >= 0)
                .limit(50)
                .forEach(f -> getLog().warn("security: " + f.describe()));
        scan.requireBelow(threshold, scanLibraries);
      }
      getLog()
          .info(
              "Valid: "
                  + pkg.manifest().id()
                  + " "
                  + pkg.manifest().version()
                  + " ("
                  + pkg.files().size()
                  + " files; "
                  + pkg.signerKeyId()
                      .map(id -> "signature verified, key " + id)
                      .orElse(pkg.signed() ? "signed" : "unsigned")
                  + (security ? "; security scan below " + threshold : "")
                  + ")");
    } catch (PackageException e) {
      throw new MojoFailureException(
          zip.getFileName() + " refused: " + e.reason() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot check [" + zip + "]: " + e.getMessage(), e);
    } finally {
      if (work != null) {
        try {
          PackageMojo.deleteTree(work);
        } catch (IOException e) {
          getLog().warn("cannot remove [" + work + "]: " + e.getMessage());
        }
      }
    }
  }
}
