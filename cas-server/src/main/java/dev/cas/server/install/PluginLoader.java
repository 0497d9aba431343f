package dev.cas.server.install;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.server.HostException;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.registry.PluginRecord;
import dev.cas.server.registry.PluginStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings registered plugins into the runtime from their stored packages: every one at start, one
 * again on request. The registry stays the answer to "is it installed": a plugin that cannot load
 * is kept, listed as failed with the reason, and can be activated again, upgraded or uninstalled.
 */
public final class PluginLoader {

  private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

  private final PluginStore store;
  private final PluginRuntime runtime;
  private final PluginDatabases databases;
  private final HostFolders folders;
  private final Map<String, String> loadFailures = new ConcurrentHashMap<>();

  public PluginLoader(
      PluginStore store, PluginRuntime runtime, PluginDatabases databases, HostFolders folders) {
    this.store = store;
    this.runtime = runtime;
    this.databases = databases;
    this.folders = folders;
  }

  /**
   * Loads every registered plugin from its stored package into an emptied plugins folder, in
   * dependency order. A plugin that cannot load stays installed and is listed as failed with the
   * reason; the others start.
   */
  public void loadAll() throws IOException {
    HostFolders.deleteTree(folders.pluginsDir());
    Files.createDirectories(folders.pluginsDir());
    List<PluginPackage> packages = new ArrayList<>();
    for (PluginRecord rec : store.all()) {
      try {
        packages.add(unpackStored(rec));
      } catch (RuntimeException e) {
        failedToLoad(rec.id(), e);
      }
    }
    try {
      runtime.installAll(packages);
    } catch (RuntimeException e) {
      // One at a time, in passes, so that one plugin's failure keeps only its dependents out.
      List<PluginPackage> left = new ArrayList<>(packages);
      left.removeIf(p -> runtime.find(p.manifest().id()).isPresent());
      Map<String, RuntimeException> last = new LinkedHashMap<>();
      boolean progress = true;
      while (!left.isEmpty() && progress) {
        progress = false;
        for (PluginPackage p : List.copyOf(left)) {
          try {
            runtime.install(p);
            left.remove(p);
            last.remove(p.manifest().id());
            progress = true;
          } catch (RuntimeException failure) {
            last.put(p.manifest().id(), failure);
          }
        }
      }
      last.forEach(this::failedToLoad);
    }
  }

  /** Why an installed plugin is not in the runtime (it failed to load at start), if it is not. */
  public Optional<String> loadFailure(String id) {
    return runtime.find(id).isPresent()
        ? Optional.empty()
        : Optional.ofNullable(loadFailures.get(id));
  }

  /**
   * Loads an installed plugin that failed to load at start again, from its stored package, and
   * activates it.
   */
  public PluginInfo reload(String id) {
    PluginRecord rec =
        store
            .find(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed"));
    HostFolders.deleteTree(folders.pluginsDir().resolve(id));
    PluginPackage pkg = withStatus(unpackStored(rec), "active");
    try {
      PluginInfo info = runtime.install(pkg);
      loadFailures.remove(id);
      return info;
    } catch (RuntimeException e) {
      failedToLoad(id, e);
      throw e;
    }
  }

  /** The package the runtime runs for a plugin, if it is loaded. */
  public Optional<PluginPackage> loadedPackage(String id) {
    return runtime.packageOf(id);
  }

  /** The manifest a plugin runs with, or the registry's when it is not loaded. */
  public Manifest manifestOf(String id) {
    return runtime
        .packageOf(id)
        .map(PluginPackage::manifest)
        .orElseGet(
            () ->
                store
                    .find(id)
                    .orElseThrow(
                        () ->
                            new HostException(
                                HostException.Reason.NOT_FOUND,
                                "plugin [" + id + "] is not installed"))
                    .manifest());
  }

  /** The stored package of a registered plugin, unpacked into its folder, its database ready. */
  private PluginPackage unpackStored(PluginRecord rec) {
    Path tmp = folders.tempDir();
    try {
      byte[] bytes = store.packageBytes(rec.id()).orElseThrow();
      Path zip = tmp.resolve(rec.id() + ".zip");
      Files.write(zip, bytes);
      Path target =
          folders
              .pluginsDir()
              .resolve(rec.id())
              .resolve(rec.version() + "-restored-" + UUID.randomUUID().toString().substring(0, 8));
      PluginPackage pkg = PackageReader.create(ReadOptions.defaults()).read(zip, target);
      databases.ensureRoleAndSchema(pkg.manifest());
      return withStatus(pkg, rec.desired().id());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      HostFolders.deleteTree(tmp);
    }
  }

  private void failedToLoad(String id, RuntimeException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    loadFailures.put(id, reason);
    LOG.error("plugin [{}] is installed but could not be loaded: {}", id, reason);
  }

  /**
   * The package with its manifest's desired state replaced (the registry's, or a forced inactive).
   */
  public static PluginPackage withStatus(PluginPackage pkg, String desired) {
    Manifest m = pkg.manifest();
    Manifest adjusted =
        new Manifest(
            m.id(),
            m.name(),
            m.version(),
            m.description(),
            m.author(),
            m.license(),
            m.entry(),
            m.main(),
            Manifest.DesiredStatus.parse(desired),
            m.isSystem(),
            m.category(),
            m.keywords(),
            m.permissions(),
            m.compatibility(),
            m.endpoints(),
            m.database(),
            m.configSchema(),
            m.sandbox(),
            m.frontend());
    return new PluginPackage(
        pkg.root(),
        adjusted,
        pkg.metadata(),
        pkg.files(),
        pkg.signerKeyId(),
        pkg.signed(),
        pkg.warnings());
  }
}
