package dev.cas.server;

import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.ManifestParser;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.packaging.TrustStore;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.RuntimeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
  private final UserStore users;
  private final AuditLog audit;
  private final HostSandbox sandbox;
  private final ServerHostServices services;
  private final PluginRuntime runtime;
  private final PluginInstaller installer;
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
    this.installer = new PluginInstaller(this);
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

  /** Loads every registered plugin from its stored package, in dependency order. */
  private void restore() throws IOException {
    deleteTree(pluginsDir());
    Files.createDirectories(pluginsDir());
    List<PluginPackage> packages = new ArrayList<>();
    for (Map<String, Object> row : store.all()) {
      String id = (String) row.get("id");
      byte[] bytes = store.packageBytes(id).orElseThrow();
      Path zip = tempDir().resolve(id + ".zip");
      Files.write(zip, bytes);
      Path target = pluginsDir().resolve(id).resolve(row.get("version") + "-restored");
      PluginPackage pkg = PackageReader.create(ReadOptions.defaults()).read(zip, target);
      Files.delete(zip);
      databases.ensureRoleAndSchema(pkg.manifest());
      packages.add(withStatus(pkg, (String) row.get("desired_state")));
    }
    try {
      runtime.installAll(packages);
    } catch (RuntimeException e) {
      LOG.error("restoring plugins stopped: {}", e.getMessage());
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
            () -> {
              String json =
                  (String)
                      store
                          .row(id)
                          .orElseThrow(
                              () ->
                                  new HostException(
                                      HostException.Reason.NOT_FOUND,
                                      "plugin [" + id + "] is not installed"))
                          .get("manifest");
              return ManifestParser.lenient()
                  .parse(json.getBytes(StandardCharsets.UTF_8))
                  .manifest();
            });
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
