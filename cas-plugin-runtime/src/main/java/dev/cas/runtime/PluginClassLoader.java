package dev.cas.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * One plugin's class loader. What it sees, in this order:
 *
 * <ol>
 *   <li>the JDK's own packages, from the JDK;
 *   <li>the plugin API packages ({@code dev.cas.plugin.api}), from the host, so that host and
 *       plugin share {@code Plugin} and {@code PluginContext};
 *   <li>packages that plugins it depends on export ({@code CAS-Export-Package}), from those
 *       plugins' loaders;
 *   <li>its own jars: {@code backend/dist/<id>.jar}, then {@code backend/lib/*.jar}.
 * </ol>
 *
 * <p>Classes of its own jar ({@code backend/dist}) are defined with a loop-budget check at every
 * back-edge ({@link BudgetRewriter}); for that one host class, {@link LoopBudget}, is visible to it
 * by its exact name. Bundled libraries ({@code backend/lib}) are defined as they are.
 *
 * <p>Nothing else of the host is visible: the parent is the platform loader, not the application
 * loader. Two plugins can therefore bundle different versions of one library.
 */
public final class PluginClassLoader extends URLClassLoader {

  static {
    registerAsParallelCapable();
  }

  private static final String API_PACKAGE = "dev.cas.plugin.api";
  private static final String LOOP_BUDGET = LoopBudget.class.getName();

  private final String pluginId;
  private final ClassLoader apiLoader;
  private final Map<String, ClassLoader> importedPackages;
  private final URL ownJarUrl;
  private JarFile ownJar;
  private boolean closed;

  /**
   * @param pluginId the plugin's id, for names and messages
   * @param jars the plugin's jars, its own first
   * @param apiLoader the loader of the plugin API types
   * @param importedPackages package name → loader of the dependency that exports it
   * @param ownJar the plugin's own jar among {@code jars}, whose classes get loop budgets
   */
  PluginClassLoader(
      String pluginId,
      List<URL> jars,
      ClassLoader apiLoader,
      Map<String, ClassLoader> importedPackages,
      Optional<URL> ownJar) {
    super("plugin:" + pluginId, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    this.pluginId = pluginId;
    this.apiLoader = apiLoader;
    this.importedPackages = Map.copyOf(importedPackages);
    this.ownJarUrl = ownJar.orElse(null);
  }

  /** The plugin this loader belongs to. */
  public String pluginId() {
    return pluginId;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        c = loadNew(name);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private Class<?> loadNew(String name) throws ClassNotFoundException {
    String pkg = packageOf(name);
    if (JdkPackages.contains(pkg)) {
      return getParent().loadClass(name);
    }
    if (pkg.equals(API_PACKAGE) || pkg.startsWith(API_PACKAGE + ".")) {
      return apiLoader.loadClass(name);
    }
    if (name.equals(LOOP_BUDGET)) {
      // The one host class the rewritten code calls; nothing else of its package is visible.
      return LoopBudget.class;
    }
    ClassLoader exporter = importedPackages.get(pkg);
    if (exporter != null) {
      return exporter.loadClass(name);
    }
    try {
      return findClass(name);
    } catch (ClassNotFoundException e) {
      throw new ClassNotFoundException(
          name
              + " (not in plugin ["
              + pluginId
              + "]'s jars, the JDK, the plugin API or the"
              + " packages its dependencies export)",
          e);
    }
  }

  /**
   * Classes of the plugin's own jar are read here and defined with their back-edge checks; the rest
   * (bundled libraries) as {@link URLClassLoader} does.
   */
  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarFile jar = ownJar();
    if (jar != null) {
      JarEntry entry = jar.getJarEntry(name.replace('.', '/') + ".class");
      if (entry != null) {
        return defineOwn(name, jar, entry);
      }
    }
    return super.findClass(name);
  }

  private Class<?> defineOwn(String name, JarFile jar, JarEntry entry)
      throws ClassNotFoundException {
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(
          name + " (cannot read it from plugin [" + pluginId + "]'s jar: " + e + ")", e);
    }
    byte[] rewritten;
    try {
      rewritten = BudgetRewriter.rewrite(bytes);
    } catch (RuntimeException e) {
      throw new ClassNotFoundException(
          name + " (plugin [" + pluginId + "]: cannot add loop budgets: " + e + ")", e);
    }
    String pkg = packageOf(name);
    if (!pkg.isEmpty() && getDefinedPackage(pkg) == null) {
      try {
        Manifest mf = jar.getManifest();
        if (mf != null) {
          definePackage(pkg, mf, ownJarUrl);
        } else {
          definePackage(pkg, null, null, null, null, null, null, null);
        }
      } catch (IOException e) {
        throw new ClassNotFoundException(name + " (cannot read the jar manifest: " + e + ")", e);
      } catch (IllegalArgumentException definedMeanwhile) {
        // Another thread defined the package first: the same one.
      }
    }
    CodeSource source = new CodeSource(ownJarUrl, (CodeSigner[]) null);
    return defineClass(name, rewritten, 0, rewritten.length, source);
  }

  private synchronized JarFile ownJar() throws ClassNotFoundException {
    if (ownJar == null && ownJarUrl != null && !closed) {
      try {
        // The host reading a plugin's own jar, possibly for another plugin's code that imports a
        // package of it (that plugin may not read this one's folder): the host's business.
        File file = Path.of(ownJarUrl.toURI()).toFile();
        ownJar = SandboxBridge.asHost(() -> new JarFile(file));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new ClassNotFoundException(
            "plugin [" + pluginId + "]'s jar [" + ownJarUrl + "] cannot be opened: " + e, e);
      }
    }
    return ownJar;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      closed = true;
      if (ownJar != null) {
        ownJar.close();
        ownJar = null;
      }
    }
    super.close();
  }

  @Override
  public URL getResource(String name) {
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
    all.addAll(Collections.list(getParent().getResources(name)));
    return Collections.enumeration(all);
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  @Override
  public String toString() {
    return "PluginClassLoader[" + pluginId + "]";
  }
}
