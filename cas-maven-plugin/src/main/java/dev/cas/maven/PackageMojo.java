package dev.cas.maven;

import dev.cas.packaging.ManifestParser;
import dev.cas.packaging.PackageException;
import dev.cas.packaging.PackageFile;
import dev.cas.packaging.PackageWriter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Makes the plugin's package from the build: the folder {@code src/plugin} (plugin.json, docs,
 * frontend, backend/migrations, data), the project's jar at the manifest's {@code entry}, its
 * runtime-scope dependencies in {@code backend/lib} and its sources in {@code backend/src}. The ZIP
 * is written by cas-package's writer, so it is what {@code cas package} makes: deterministic, with
 * the creation time from {@code project.build.outputTimestamp}.
 *
 * <p>It is signed with the first key found: {@code keyFile}, the PEM text in the environment
 * variable {@code keyEnvironmentVariable}, else the development key in {@code devKeyDirectory}
 * (made on first use) unless {@code devKey} is false.
 *
 * <p>The package is attached to the project (type {@code zip}, classifier {@code classifier},
 * default {@code cas-package}), so {@code install} and {@code deploy} carry it beside the jar.
 */
@Mojo(
    name = "package",
    defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public final class PackageMojo extends AbstractMojo {

  /** Key of the written package's path in the plugin context, for the later goals. */
  static final String CONTEXT_PACKAGE = "cas.package";

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** The plugin's package layout: plugin.json and the folders that go into the package as is. */
  @Parameter(property = "cas.pluginDirectory", defaultValue = "${project.basedir}/src/plugin")
  private File pluginDirectory;

  /** Where the package's folder is assembled before it is zipped. */
  @Parameter(defaultValue = "${project.build.directory}/plugin")
  private File stagingDirectory;

  /** The plugin's jar, copied to the manifest's {@code entry}. */
  @Parameter(defaultValue = "${project.build.directory}/${project.build.finalName}.jar")
  private File jarFile;

  /** The package to write; by default {@code target/<id>-v<version>.zip}. */
  @Parameter(property = "cas.packageFile")
  private File outputFile;

  /** Whether {@code src/main/java} goes into {@code backend/src} (for reading and rebuilding). */
  @Parameter(property = "cas.includeSources", defaultValue = "true")
  private boolean includeSources;

  /** Whether {@code data/} (configuration and reference data) goes into the package. */
  @Parameter(property = "cas.includeData", defaultValue = "true")
  private boolean includeData;

  /** Refuse unknown manifest fields and permissions, and migrations without rollback. */
  @Parameter(property = "cas.strict", defaultValue = "true")
  private boolean strict;

  /** The creation time recorded in metadata.json; Maven's reproducible-builds setting. */
  @Parameter(defaultValue = "${project.build.outputTimestamp}")
  private String outputTimestamp;

  /** A PKCS#8 PEM private key file to sign with. It must lie outside the plugin's folders. */
  @Parameter(property = "cas.signingKeyFile")
  private File keyFile;

  /** An environment variable that may hold the PEM text of the private key to sign with. */
  @Parameter(property = "cas.signingKeyVariable", defaultValue = "CAS_SIGNING_KEY")
  private String keyEnvironmentVariable;

  /** Sign with a development key when no other key is given. */
  @Parameter(property = "cas.devKey", defaultValue = "true")
  private boolean devKey;

  /** The development key pair's folder (private-key.pem, public-key.pem), made on first use. */
  @Parameter(property = "cas.devKeyDirectory", defaultValue = "${user.home}/.cas/dev-signing-key")
  private File devKeyDirectory;

  @Parameter(property = "cas.skip", defaultValue = "false")
  private boolean skip;

  /** Whether the package is attached to the project, so install and deploy carry it. */
  @Parameter(property = "cas.attach", defaultValue = "true")
  private boolean attach;

  /** The classifier of the attached package (its type is {@code zip}). */
  @Parameter(property = "cas.classifier", defaultValue = "cas-package")
  private String classifier;

  @Component private MavenProjectHelper projectHelper;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping the CAS package");
      return;
    }
    Path source = pluginDirectory.toPath();
    if (!Files.isRegularFile(source.resolve("plugin.json"))) {
      throw new MojoFailureException(
          "["
              + source
              + "] has no plugin.json; a CAS plugin keeps its package layout in src/plugin"
              + " (set pluginDirectory to use another folder)");
    }
    Path staging = stagingDirectory.toPath();
    try {
      deleteTree(staging);
      copyTree(source, staging);
      Path manifestFile = staging.resolve("plugin.json");
      Files.writeString(
          manifestFile,
          interpolate(Files.readString(manifestFile, StandardCharsets.UTF_8)),
          StandardCharsets.UTF_8);
      var manifest = ManifestParser.lenient().parse(Files.readAllBytes(manifestFile)).manifest();
      if (manifest.entry().isPresent()) {
        copyJar(staging, manifest.entry().get());
      }
      copyLibraries(staging.resolve("backend/lib"));
      if (includeSources) {
        for (String root : project.getCompileSourceRoots()) {
          Path dir = Path.of(root);
          if (Files.isDirectory(dir) && !dir.startsWith(project.getBuild().getDirectory())) {
            copyTree(dir, staging.resolve("backend/src"));
          }
        }
      }
      String sourceDateEpoch = System.getenv("SOURCE_DATE_EPOCH");
      if (!Timestamps.fixed(outputTimestamp, sourceDateEpoch)) {
        getLog()
            .warn(
                "project.build.outputTimestamp is not set: the package records the current time"
                    + " and is not reproducible");
      }
      PackageWriter.Builder builder =
          PackageWriter.builder()
              .createdAt(Timestamps.creationTime(outputTimestamp, sourceDateEpoch))
              .includeData(includeData)
              .strict(strict);
      Optional<SigningKeys.Found> key =
          SigningKeys.find(
              keyFile == null ? null : keyFile.toPath(),
              keyEnvironmentVariable,
              System::getenv,
              devKey ? devKeyDirectory.toPath() : null,
              List.of(source, staging, project.getBasedir().toPath().resolve("src")),
              getLog());
      refusePrivateKeys(staging);
      key.ifPresent(k -> builder.signWith(k.key()));
      Path out =
          outputFile != null
              ? outputFile.toPath()
              : Path.of(project.getBuild().getDirectory())
                  .resolve(manifest.id() + "-v" + manifest.version() + ".zip");
      Files.createDirectories(out.toAbsolutePath().getParent());
      PackageWriter.Result result = builder.build().write(staging, out);
      result.warnings().forEach(w -> getLog().warn(w));
      if (attach) {
        projectHelper.attachArtifact(project, "zip", classifier, out.toFile());
      }
      @SuppressWarnings("unchecked")
      Map<Object, Object> context = getPluginContext();
      if (context != null) {
        context.put(CONTEXT_PACKAGE, out.toFile());
      }
      long bytes = result.files().stream().mapToLong(PackageFile::size).sum();
      getLog()
          .info(
              "Packaged "
                  + manifest.id()
                  + " "
                  + manifest.version()
                  + " -> "
                  + out
                  + " ("
                  + result.files().size()
                  + " files, "
                  + bytes
                  + " bytes, sha256 "
                  + result.sha256()
                  + ")");
      getLog()
          .info(
              key.map(
                      k ->
                          (k.development() ? "Signed with the development key " : "Signed with ")
                              + result.signerKeyId().orElseThrow()
                              + " from "
                              + k.source())
                  .orElse("Unsigned (no key given and devKey is false)"));
    } catch (PackageException e) {
      throw new MojoFailureException(e.reason() + ": " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      throw new MojoExecutionException("cannot assemble the package: " + e.getMessage(), e);
    }
  }

  /** A PEM private key among the files would be published with the package: refused. */
  static void refusePrivateKeys(Path staging) throws IOException, MojoFailureException {
    List<Path> keys = new ArrayList<>();
    try (Stream<Path> files = Files.walk(staging)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f) && Files.size(f) < 1_000_000 && !f.toString().endsWith(".jar")) {
          String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          if (text.contains("PRIVATE KEY-----")) {
            keys.add(staging.relativize(f));
          }
        }
      }
    }
    if (!keys.isEmpty()) {
      throw new MojoFailureException(
          "the package would contain a private key: "
              + keys
              + "; keep private keys outside the plugin's folders");
    }
  }

  private void copyJar(Path staging, String entry) throws IOException, MojoFailureException {
    if (!jarFile.isFile()) {
      throw new MojoFailureException(
          "the plugin's jar ["
              + jarFile
              + "] does not exist; run the package goal after the jar plugin (phase package)");
    }
    Path target = staging.resolve(entry).normalize();
    if (!target.startsWith(staging)) {
      throw new MojoFailureException("plugin.json's entry [" + entry + "] leaves the package");
    }
    Files.createDirectories(target.getParent());
    Files.copy(jarFile.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  private void copyLibraries(Path lib) throws IOException {
    List<Artifact> runtime = new ArrayList<>();
    for (Artifact a : project.getArtifacts()) {
      String scope = a.getScope();
      if ((Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope))
          && a.getFile() != null
          && a.getArtifactHandler().isAddedToClasspath()) {
        runtime.add(a);
      }
    }
    if (runtime.isEmpty()) {
      return;
    }
    Files.createDirectories(lib);
    for (Artifact a : runtime) {
      String name =
          a.getArtifactId()
              + "-"
              + a.getVersion()
              + (a.hasClassifier() ? "-" + a.getClassifier() : "")
              + "."
              + a.getArtifactHandler().getExtension();
      Files.copy(a.getFile().toPath(), lib.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** {@code ${project.version}} and the like, as Maven's resource filtering would replace them. */
  String interpolate(String text) {
    Properties props = project.getProperties();
    Matcher m = EXPRESSION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value =
          switch (name) {
            case "project.version" -> project.getVersion();
            case "project.artifactId" -> project.getArtifactId();
            case "project.groupId" -> project.getGroupId();
            case "project.name" -> project.getName();
            case "project.description" -> project.getDescription();
            default -> props.getProperty(name);
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
