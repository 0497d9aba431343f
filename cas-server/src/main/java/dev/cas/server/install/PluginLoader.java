package dev.cas.server.install;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.StartReport;
import dev.cas.server.HostException;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.registry.PluginRecord;
import dev.cas.server.registry.PluginStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings registered plugins into the runtime from their stored packages: every one at start, one
 * again on request. The registry stays the answer to "is it installed": a plugin that cannot load
 * is kept, listed as failed with the reason, and can be activated again, upgraded or uninstalled.
 */
public final class PluginLoader {

  private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

  /** A package's checksum list (docs/FORMAT.md). */
  private static final String CHECKSUMS = "checksum.sha256";

  private final PluginStore store;
  private final PluginRuntime runtime;
  private final PluginDatabases databases;
  private final HostFolders folders;
  private final Map<String, String> loadFailures = new ConcurrentHashMap<>();
  private final Set<String> awaitingRegistry = ConcurrentHashMap.newKeySet();

  public PluginLoader(
      PluginStore store, PluginRuntime runtime, PluginDatabases databases, HostFolders folders) {
    this.store = store;
    this.runtime = runtime;
    this.databases = databases;
    this.folders = folders;
  }

  /**
   * Loads every registered plugin, in parallel along the dependency graph ({@link
   * PluginRuntime#startAll}). Each starts from the folder its package was verified into at install,
   * checked against the checksum list pinned in the registry (every file hashed, in parallel across
   * plugins); a plugin whose folder is gone is extracted again from its stored package. A plugin
   * that cannot load (a file changed since install, a failing initializer) stays installed and is
   * listed as failed with the reason; the others start. Folders the registry does not name (an
   * unfinished operation's, an old version's) are removed.
   */
  public void loadAll() throws IOException {
    long t0 = System.nanoTime();
    List<PluginRecord> records = store.all();
    Map<String, PluginStore.InstalledFolder> folderOf = store.installedFolders();
    Map<String, Optional<PluginStore.InstalledFolder>> pinned = new LinkedHashMap<>();
    for (PluginRecord rec : records) {
      pinned.put(rec.id(), Optional.ofNullable(folderOf.get(rec.id())));
    }
    removeUnnamedFolders(pinned);
    int threads = Math.max(1, Math.min(records.size(), Runtime.getRuntime().availableProcessors()));
    List<PluginPackage> packages = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<PluginPackage>> opening = new ArrayList<>();
      for (PluginRecord rec : records) {
        opening.add(pool.submit(() -> open(rec, pinned.get(rec.id()))));
      }
      for (int i = 0; i < records.size(); i++) {
        try {
          packages.add(opening.get(i).get());
        } catch (ExecutionException e) {
          failedToLoad(
              records.get(i).id(),
              e.getCause() instanceof RuntimeException re
                  ? re
                  : new IllegalStateException(e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while loading plugins", e);
        }
      }
    }
    long opened = System.nanoTime();
    databases.ensureRolesAndSchemas(packages.stream().map(PluginPackage::manifest).toList());
    long t1 = System.nanoTime();
    StartReport report = runtime.startAll(packages);
    LOG.info(
        "{} plugins: folders opened and verified in {} ms, database roles re-keyed in {} ms,"
            + " started in {} ms",
        records.size(),
        (opened - t0) / 1_000_000,
        (t1 - opened) / 1_000_000,
        (System.nanoTime() - t1) / 1_000_000);
    report
        .failures()
        .forEach(
            (id, failure) -> {
              if (runtime.find(id).isEmpty()) {
                failedToLoad(id, failure);
              }
            });
  }

  /** A registered plugin's package: its verified folder opened again, or its stored package. */
  private PluginPackage open(PluginRecord rec, Optional<PluginStore.InstalledFolder> pin) {
    Path folder = pin.map(f -> folders.pluginsDir().resolve(f.folder())).orElse(null);
    PluginPackage pkg;
    if (folder != null && Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      pkg =
          PackageReader.create(ReadOptions.defaults())
              .open(folder, pin.get().checksumsSha256(), rec.signerKeyId());
      return withStatus(pkg, rec.desired().id());
    }
    return unpackStored(rec);
  }

  /** Removes what lies in the plugins folder that no registered plugin's pin names. */
  private void removeUnnamedFolders(Map<String, Optional<PluginStore.InstalledFolder>> pinned)
      throws IOException {
    Path root = folders.pluginsDir();
    Files.createDirectories(root);
    Set<Path> keep = new HashSet<>();
    pinned.values().forEach(f -> f.ifPresent(p -> keep.add(root.resolve(p.folder()).normalize())));
    try (Stream<Path> ids = Files.list(root)) {
      for (Path id : ids.toList()) {
        if (!pinned.containsKey(id.getFileName().toString())
            || !Files.isDirectory(id, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          HostFolders.deleteTree(id);
          continue;
        }
        try (Stream<Path> versions = Files.list(id)) {
          for (Path v : versions.toList()) {
            if (!keep.contains(v.normalize())) {
              HostFolders.deleteTree(v);
            }
          }
        }
      }
    }
  }

  /**
   * The registry's pin of a package verified into a folder under the plugins folder: the folder
   * relative to it and the SHA-256 of its checksum list.
   */
  public static PluginStore.InstalledFolder pinOf(HostFolders folders, PluginPackage pkg) {
    try {
      Path root = folders.pluginsDir().toRealPath();
      String folder = root.relativize(pkg.root().toRealPath()).toString().replace('\\', '/');
      return new PluginStore.InstalledFolder(
          folder, ChecksumFile.sha256(Files.readAllBytes(pkg.file(CHECKSUMS))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a plugin the runtime runs is registered: true unless a first install started it and has
   * not committed its registry row yet (nor given up). A request path asks this instead of the
   * registry: the runtime only holds plugins loaded from the registry or started by such an install
   * (an uninstall takes a plugin out of the runtime before it leaves the registry).
   */
  public boolean registeredIfLoaded(String id) {
    return !awaitingRegistry.contains(id);
  }

  /** A first install is about to start a plugin that the registry does not list yet. */
  void startingUnregistered(String id) {
    awaitingRegistry.add(id);
  }

  /** The first install of a plugin committed its registry row, or rolled back. */
  void registryDecided(String id) {
    awaitingRegistry.remove(id);
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
    databases.ensureRoleAndSchema(pkg.manifest());
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

  /** The stored package of a registered plugin, unpacked into its folder and pinned. */
  private PluginPackage unpackStored(PluginRecord rec) {
    Path tmp = folders.tempDir();
    try {
      Path zip = tmp.resolve(rec.id() + ".zip");
      if (!store.copyPackageTo(rec.id(), zip)) {
        throw new IllegalStateException("plugin [" + rec.id() + "] has no stored package");
      }
      Path target =
          folders
              .pluginsDir()
              .resolve(rec.id())
              .resolve(rec.version() + "-restored-" + UUID.randomUUID().toString().substring(0, 8));
      PluginPackage pkg = PackageReader.create(ReadOptions.defaults()).read(zip, target);
      store.recordFolder(rec.id(), pinOf(folders, pkg));
      return withStatus(pkg, rec.desired().id());
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
