package dev.cas.maven;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * A development host with the plugin installed: builds the package ({@code package} phase), starts
 * a host on {@code port} on an embedded PostgreSQL whose data stays in {@code dataDirectory}
 * between runs, and upgrades the plugin in place whenever the package is rebuilt ({@code ./mvnw
 * package} in another terminal). It runs the test kit's {@code DevHost} from the project's test
 * class path, so the project needs {@code cas-testkit} as a test dependency (the {@code cas create}
 * templates have it). Ctrl-C stops it.
 */
@Mojo(
    name = "run",
    requiresDependencyResolution = ResolutionScope.TEST,
    requiresProject = true,
    threadSafe = false)
@Execute(phase = LifecyclePhase.PACKAGE)
public final class RunMojo extends AbstractMojo {

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** The package to serve; by default the one the package goal wrote. */
  @Parameter(property = "cas.packageFile")
  private File packageFile;

  @Parameter(defaultValue = "${project.build.directory}", readonly = true)
  private File buildDirectory;

  /** The host's port. */
  @Parameter(property = "cas.port", defaultValue = "8080")
  private int port;

  /**
   * The host's data folder, its embedded PostgreSQL's data included ({@code postgres/}); kept
   * between runs, so the plugin's rows survive a restart ({@code mvn clean} or deleting the folder
   * starts afresh).
   */
  @Parameter(property = "cas.dataDirectory", defaultValue = "${project.build.directory}/cas-dev")
  private File dataDirectory;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Path zip = Packages.find(packageFile, getPluginContext(), buildDirectory);
    List<URL> urls = new ArrayList<>();
    try {
      for (String element : project.getTestClasspathElements()) {
        urls.add(new File(element).toURI().toURL());
      }
    } catch (DependencyResolutionRequiredException | MalformedURLException e) {
      throw new MojoExecutionException("cannot build the test class path: " + e.getMessage(), e);
    }
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> devHost;
      try {
        devHost = loader.loadClass("dev.cas.testkit.DevHost");
      } catch (ClassNotFoundException e) {
        throw new MojoFailureException(
            "cas:run needs dev.cas:cas-testkit as a test dependency (it runs its DevHost)");
      }
      Thread.currentThread().setContextClassLoader(loader);
      Method main = devHost.getMethod("main", String[].class);
      main.invoke(
          null,
          (Object) new String[] {zip.toString(), Integer.toString(port), dataDirectory.toString()});
    } catch (InvocationTargetException e) {
      throw new MojoFailureException("the dev host stopped: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | java.io.IOException e) {
      throw new MojoExecutionException("cannot start the dev host: " + e.getMessage(), e);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }
}
