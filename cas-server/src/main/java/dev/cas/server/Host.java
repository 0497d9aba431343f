package dev.cas.server;

import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.packaging.TrustStore;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.RuntimeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's parts wired together: database, stores, runtime, installer. Created at start, closed
 * at stop. On start it restores every registered plugin from its stored package.
 */
final class Host implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Host.class);

  private final ServerConfig config;
  private final DatabaseHost db;
  private final PluginStore store;
  private final ConfigStore configStore;
  private final PluginDatabases databases;
  private final PluginMigrations migrations;
  private final UserStore users;
  private final AuditLog audit;
  private final HostSandbox sandbox;
  private final ServerHostServices services;
  private final PluginRuntime runtime;
  private final PluginInstaller installer;
  private final PluginUninstaller uninstaller;
  private final OperationJournal journal;
  private final HealthGate healthGate;
  private final Map<String, String> loadFailures = new java.util.concurrent.ConcurrentHashMap<>();
  private final String instanceId;

  Host(ServerConfig config) throws IOException {
    this.config = config;
    Files.createDirectories(config.dataDir());
    this.instanceId = instanceId(config.dataDir());
    // Before the database and any plugin: a sandbox that does not deny stops the start here.
    HostSandbox.checkAtStart(config.dataDir().resolve("instance-id"));
    this.db =
        config.dbUrl().isPresent()
            ? DatabaseHost.external(config.dbUrl().get(), config.dbUser(), config.dbPassword())
            : DatabaseHost.embedded(config.dataDir().resolve("postgres"));
    this.store = new PluginStore(db.admin());
    this.configStore =
        new ConfigStore(db.admin(), SecretBox.load(config.dataDir(), config.secretKey()));
    this.databases = new PluginDatabases(db);
    this.migrations = new PluginMigrations(db, databases);
    this.users = new UserStore(db.admin());
    this.audit = new AuditLog(db.admin());
    this.sandbox = new HostSandbox(audit);
    this.services = new ServerHostServices(db.admin(), configStore, databases, users);
    this.runtime =
        PluginRuntime.create(
            new RuntimeOptions(
                config.lifecycleTimeout(),
                CompatibilityChecker.Host.current(),
                services,
                config.calls()));
    auditBudgetDeactivations();
    this.journal = new OperationJournal(db.admin());
    this.healthGate = new HealthGate(runtime, config.upgradeWatch());
    this.installer = new PluginInstaller(this, journal);
    this.uninstaller = new PluginUninstaller(this, journal);
    services.activeWhen(
        id ->
            runtime
                .find(id)
                .map(p -> p.state() == dev.cas.plugin.api.PluginState.ACTIVE)
                .orElse(false));
    users
        .bootstrapAdmin(config.adminPassword(), config.dataDir())
        .ifPresent(
            password ->
                System.out.println(
                    "cas: created user [admin] with a generated password (also in "
                        + config.dataDir().resolve("initial-admin-password")
                        + "): "
                        + password));
    restore();
  }

  /**
   * Settles what an earlier host left unfinished (journal), then loads every registered plugin from
   * its stored package, in dependency order. A plugin that cannot load stays installed and is
   * listed as failed with the reason; the others start.
   */
  private void restore() throws IOException {
    deleteTree(config.dataDir().resolve("tmp"));
    new OperationRecovery(journal, databases, migrations, configStore, this::tempDir).recover();
    deleteTree(config.dataDir().resolve("tmp"));
    deleteTree(pluginsDir());
    Files.createDirectories(pluginsDir());
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
      Map<String, RuntimeException> last = new java.util.LinkedHashMap<>();
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

  /** The stored package of a registered plugin, unpacked into its folder, its database ready. */
  private PluginPackage unpackStored(PluginRecord rec) {
    try {
      byte[] bytes = store.packageBytes(rec.id()).orElseThrow();
      Path tmp = tempDir();
      Path zip = tmp.resolve(rec.id() + ".zip");
      Files.write(zip, bytes);
      Path target =
          pluginsDir()
              .resolve(rec.id())
              .resolve(rec.version() + "-restored-" + UUID.randomUUID().toString().substring(0, 8));
      PluginPackage pkg = PackageReader.create(ReadOptions.defaults()).read(zip, target);
      deleteTree(tmp);
      databases.ensureRoleAndSchema(pkg.manifest());
      return withStatus(pkg, rec.desired().id());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void failedToLoad(String id, RuntimeException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    loadFailures.put(id, reason);
    LOG.error("plugin [{}] is installed but could not be loaded: {}", id, reason);
  }

  /** Why an installed plugin is not in the runtime (it failed to load at start), if it is not. */
  Optional<String> loadFailure(String id) {
    return runtime.find(id).isPresent()
        ? Optional.empty()
        : Optional.ofNullable(loadFailures.get(id));
  }

  /**
   * Loads an installed plugin that failed to load at start again, from its stored package, and
   * activates it.
   */
  dev.cas.runtime.PluginInfo reload(String id) {
    PluginRecord rec =
        store
            .find(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed"));
    deleteTree(pluginsDir().resolve(id));
    PluginPackage pkg = withStatus(unpackStored(rec), "active");
    try {
      dev.cas.runtime.PluginInfo info = runtime.install(pkg);
      loadFailures.remove(id);
      return info;
    } catch (RuntimeException e) {
      failedToLoad(id, e);
      throw e;
    }
  }

  /**
   * The package with its manifest's desired state replaced (the registry's, or a forced inactive).
   */
  static PluginPackage withStatus(PluginPackage pkg, String desired) {
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

  /** Installs the packages the config names at start, unless a version of them is installed. */
  void installOnStart() {
    for (Path zip : config.installOnStart()) {
      try {
        PluginInstaller.Result r = installer.importPackage(zip, true, false);
        LOG.info("{} {} {}", zip.getFileName(), r.outcome(), r.info().state());
      } catch (RuntimeException e) {
        LOG.error("cannot install {} at start: {}", zip, e.getMessage());
      }
    }
  }

  ReadOptions readOptions() {
    TrustStore trust = TrustStore.empty();
    if (Files.isDirectory(config.trustDir())) {
      try (Stream<Path> files = Files.list(config.trustDir())) {
        trust = TrustStore.load(files.filter(p -> p.toString().endsWith(".pem")).sorted().toList());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ReadOptions.defaults()
        .withStrictManifest(config.strict())
        .withSignatures(config.signaturePolicy(), trust);
  }

  Path tempDir() {
    Path dir = config.dataDir().resolve("tmp").resolve(UUID.randomUUID().toString());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  Path pluginsDir() {
    return config.dataDir().resolve("plugins");
  }

  /** Removes the folders of a plugin's other versions after an upgrade. */
  void deleteOldVersions(String id, Path keep) {
    try (Stream<Path> dirs = Files.list(pluginsDir().resolve(id))) {
      for (Path d : dirs.toList()) {
        if (!keep.startsWith(d.toRealPath())) {
          deleteTree(d);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<PluginPackage> loadedPackage(String id) {
    return runtime.packageOf(id);
  }

  Manifest manifestOf(String id) {
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

  /**
   * A plugin the runtime deactivated for breaking its deadline or budgets too often (layer 3 of
   * docs/security.md) gets an audit entry: action {@code deactivate}, actor {@code system}, outcome
   * {@code over-budget}, the runtime's reason as detail.
   */
  private void auditBudgetDeactivations() {
    runtime
        .events()
        .subscribe(
            "host",
            "host:plugin:inactive",
            e -> {
              if (Boolean.TRUE.equals(e.payload().get("budget"))) {
                audit.record(
                    "system",
                    "deactivate",
                    String.valueOf(e.payload().get("id")),
                    "over-budget",
                    String.valueOf(e.payload().get("reason")),
                    "local");
              }
            });
  }

  void audit(String action, String target, String outcome, String detail) {
    audit.record(RequestContext.actor(), action, target, outcome, detail, RequestContext.remote());
  }

  ServerConfig config() {
    return config;
  }

  DatabaseHost db() {
    return db;
  }

  PluginStore store() {
    return store;
  }

  ConfigStore configStore() {
    return configStore;
  }

  PluginDatabases databases() {
    return databases;
  }

  PluginMigrations migrations() {
    return migrations;
  }

  UserStore users() {
    return users;
  }

  AuditLog auditLog() {
    return audit;
  }

  HostSandbox sandbox() {
    return sandbox;
  }

  ServerHostServices services() {
    return services;
  }

  PluginRuntime runtime() {
    return runtime;
  }

  PluginInstaller installer() {
    return installer;
  }

  PluginUninstaller uninstaller() {
    return uninstaller;
  }

  OperationJournal journal() {
    return journal;
  }

  HealthGate healthGate() {
    return healthGate;
  }

  String instanceId() {
    return instanceId;
  }

  private static String instanceId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("instance-id");
    if (!Files.exists(file)) {
      Files.writeString(file, UUID.randomUUID().toString());
    }
    return Files.readString(file).trim();
  }

  static void deleteTree(Path root) {
    PluginInstaller.deleteTree(root);
  }

  @Override
  public void close() {
    try {
      runtime.close();
    } finally {
      sandbox.close();
      databases.close();
      db.close();
    }
  }
}
