package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.Plugin;
import dev.cas.runtime.PluginRuntimeException.Reason;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Builds a plugin's class loader and the host-side objects that belong to one plugin instance. A
 * plugin's jars are {@code backend/dist/<id>.jar} and {@code backend/lib/*.jar} (sorted); the
 * packages it imports are those its plugin dependencies list in their jar manifest attribute
 * {@value #EXPORT_ATTRIBUTE}.
 */
final class PluginLoader {

  /** Jar manifest attribute listing the packages a plugin shares with plugins that depend on it. */
  static final String EXPORT_ATTRIBUTE = "CAS-Export-Package";

  private final Function<String, LoadedPlugin> installed;

  PluginLoader(Function<String, LoadedPlugin> installed) {
    this.installed = installed;
  }

  LoadedPlugin load(PluginPackage pkg, HostServices services, PluginMeter meter) {
    Manifest manifest = pkg.manifest();
    List<URL> jars = jars(pkg);
    Optional<URL> ownJar =
        manifest.entry().isPresent() && !jars.isEmpty()
            ? Optional.of(jars.getFirst())
            : Optional.empty();
    PluginClassLoader loader =
        new PluginClassLoader(
            manifest.id(), jars, Plugin.class.getClassLoader(), imports(manifest), ownJar);
    // Before any of its classes loads: with the sandbox agent, the JDK checks them against this.
    SandboxBridge.register(loader, manifest, pkg.root());
    Map<String, Object> config =
        ConfigValidator.withDefaults(manifest, services.configValues(manifest.id()));
    return new LoadedPlugin(
        pkg,
        loader,
        new PluginScope(manifest.id()),
        new RouteTable.RouteSet(manifest.id(), loader),
        new PluginConfigImpl(manifest.id(), config),
        new PluginTasksImpl(manifest.id(), loader, meter),
        meter);
  }

  private static List<URL> jars(PluginPackage pkg) {
    List<URL> urls = new ArrayList<>();
    try {
      if (pkg.manifest().entry().isPresent()) {
        urls.add(pkg.file(pkg.manifest().entry().get()).toUri().toURL());
      }
      Path lib = pkg.root().resolve("backend/lib");
      if (Files.isDirectory(lib)) {
        try (Stream<Path> files = Files.list(lib)) {
          for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
            urls.add(jar.toUri().toURL());
          }
        }
      }
      return urls;
    } catch (IOException e) {
      throw new PluginRuntimeException(
          Reason.LOAD_FAILED,
          pkg.manifest().id(),
          "cannot list plugin [" + pkg.manifest().id() + "] jars: " + e,
          e);
    }
  }

  private Map<String, ClassLoader> imports(Manifest manifest) {
    Map<String, ClassLoader> imports = new HashMap<>();
    for (String dep : DependencyGraph.pluginDependencies(manifest)) {
      LoadedPlugin provider = installed.apply(dep);
      if (provider != null) {
        exportedPackages(provider).forEach(pkg -> imports.put(pkg, provider.loader));
      }
    }
    return imports;
  }

  static List<String> exportedPackages(LoadedPlugin plugin) {
    if (plugin.manifest.entry().isEmpty()) {
      return List.of();
    }
    Path jar = plugin.pkg.file(plugin.manifest.entry().get());
    try (JarFile file = new JarFile(jar.toFile())) {
      var mf = file.getManifest();
      String value = mf == null ? null : mf.getMainAttributes().getValue(EXPORT_ATTRIBUTE);
      if (value == null || value.isBlank()) {
        return List.of();
      }
      return Stream.of(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new PluginRuntimeException(
          Reason.LOAD_FAILED,
          plugin.id(),
          "cannot read [" + jar + "] of plugin [" + plugin.id() + "]: " + e,
          e);
    }
  }
}
