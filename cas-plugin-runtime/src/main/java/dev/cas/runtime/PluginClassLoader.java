package dev.cas.runtime;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

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
 * Nothing else of the host is visible: the parent is the platform loader, not the application
 * loader. Two plugins can therefore bundle different versions of one library.
 */
public final class PluginClassLoader extends URLClassLoader {

  static {
    registerAsParallelCapable();
  }

  private static final String API_PACKAGE = "dev.cas.plugin.api";

  private final String pluginId;
  private final ClassLoader apiLoader;
  private final Map<String, ClassLoader> importedPackages;

  /**
   * @param pluginId the plugin's id, for names and messages
   * @param jars the plugin's jars, its own first
   * @param apiLoader the loader of the plugin API types
   * @param importedPackages package name → loader of the dependency that exports it
   */
  PluginClassLoader(
      String pluginId,
      List<URL> jars,
      ClassLoader apiLoader,
      Map<String, ClassLoader> importedPackages) {
    super("plugin:" + pluginId, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    this.pluginId = pluginId;
    this.apiLoader = apiLoader;
    this.importedPackages = Map.copyOf(importedPackages);
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
