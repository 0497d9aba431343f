package dev.cas.maven;

import dev.cas.packaging.PackageException;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Signs the package (replacing its development signature) with a release key: a PEM file given as
 * {@code keyFile}, or the PEM text in the environment variable {@code keyEnvironmentVariable}, as a
 * CI secret would provide it. The key is read, used and never written anywhere; a key file inside
 * the plugin's folders is refused. Bind it after {@code package}, e.g. in a release profile.
 */
@Mojo(name = "sign", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class SignMojo extends AbstractMojo {

  /** The package to sign; by default the one the package goal wrote. */
  @Parameter(property = "cas.packageFile")
  private File packageFile;

  @Parameter(defaultValue = "${project.build.directory}", readonly = true)
  private File buildDirectory;

  @Parameter(defaultValue = "${project.basedir}", readonly = true)
  private File basedir;

  /** A PKCS#8 PEM private key file (RSA 2048+ or Ed25519). */
  @Parameter(property = "cas.signingKeyFile")
  private File keyFile;

  /** An environment variable holding the PEM text of the private key. */
  @Parameter(property = "cas.signingKeyVariable", defaultValue = "CAS_SIGNING_KEY")
  private String keyEnvironmentVariable;

  @Parameter(property = "cas.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      return;
    }
    Path zip = Packages.find(packageFile, getPluginContext(), buildDirectory);
    SigningKeys.Found key =
        SigningKeys.find(
                keyFile == null ? null : keyFile.toPath(),
                keyEnvironmentVariable,
                System::getenv,
                null,
                List.of(basedir.toPath().resolve("src"), buildDirectory.toPath().resolve("plugin")),
                getLog())
            .orElseThrow(
                () ->
                    new MojoFailureException(
                        "no signing key: set keyFile (-Dcas.signingKeyFile=KEY.pem) or the"
                            + " environment variable "
                            + keyEnvironmentVariable
                            + " to the PEM text of a PKCS#8 private key"));
    Path work = null;
    try {
      work = Files.createTempDirectory(buildDirectory.toPath(), "cas-sign-");
      PluginPackage pkg = PackageReader.create(ReadOptions.defaults()).read(zip, work.resolve("p"));
      PackageWriter.Builder builder = PackageWriter.builder().includeData(true).signWith(key.key());
      pkg.metadata().ifPresent(builder::from);
      Path signed = work.resolve("signed.zip");
      PackageWriter.Result result = builder.build().write(pkg.root(), signed);
      Files.move(signed, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      getLog()
          .info(
              "Signed "
                  + zip
                  + " with key "
                  + result.signerKeyId().orElseThrow()
                  + " from "
                  + key.source());
    } catch (PackageException e) {
      throw new MojoFailureException(e.reason() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot sign [" + zip + "]: " + e.getMessage(), e);
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
