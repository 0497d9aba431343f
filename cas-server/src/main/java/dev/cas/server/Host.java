package dev.cas.server;

import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.ReadOptions;
import dev.cas.packaging.TrustStore;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.RuntimeOptions;
import dev.cas.server.database.DatabaseHost;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.database.PluginMigrations;
import dev.cas.server.http.Endpoints;
import dev.cas.server.http.HttpApi;
import dev.cas.server.install.HealthGate;
import dev.cas.server.install.HostFolders;
import dev.cas.server.install.InstallParts;
import dev.cas.server.install.OperationJournal;
import dev.cas.server.install.OperationRecovery;
import dev.cas.server.install.PluginExporter;
import dev.cas.server.install.PluginInstaller;
import dev.cas.server.install.PluginLoader;
import dev.cas.server.install.PluginUninstaller;
import dev.cas.server.logs.PluginLogs;
import dev.cas.server.ops.Alerts;
import dev.cas.server.ops.HealthMonitor;
import dev.cas.server.ops.HostHealth;
import dev.cas.server.ops.HostMetrics;
import dev.cas.server.ops.MetricsEndpoint;
import dev.cas.server.ops.RouteCalls;
import dev.cas.server.registry.ConfigStore;
import dev.cas.server.registry.PluginStore;
import dev.cas.server.registry.SecretBox;
import dev.cas.server.security.AuditLog;
import dev.cas.server.security.HostSandbox;
import dev.cas.server.security.SessionStore;
import dev.cas.server.security.SignInLimiter;
import dev.cas.server.security.UserStore;
import dev.cas.server.services.ServerHostServices;
import dev.cas.server.web.BrowserSessions;
import dev.cas.server.web.PluginAssets;
import dev.cas.server.web.PluginFrames;
import dev.cas.server.web.UiComponents;
import dev.cas.server.web.WebAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: creates the host's parts at start, hands each its collaborators through its
 * constructor, and closes them at stop. On start it settles unfinished operations (journal) and
 * loads every registered plugin from its stored package. Production classes never reach the host's
 * parts through it; the package-private accessors at the end serve this package's tests.
 */
final class Host implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Host.class);

  private final ServerConfig config;
  private final HostFolders folders;
  private final DatabaseHost db;
  private final PluginStore store;
  private final ConfigStore configStore;
  private final PluginDatabases databases;
  private final PluginMigrations migrations;
  private final UserStore users;
  private final SessionStore sessions;
  private final SignInLimiter signIns;
  private final AuditLog audit;
  private final HostSandbox sandbox;
  private final ServerHostServices services;
  private final PluginRuntime runtime;
  private final PluginLoader loader;
  private final InstallParts parts;
  private final OperationJournal journal;
  private final PluginInstaller installer;
  private final PluginUninstaller uninstaller;
  private final PluginExporter exporter;
  private final PluginLogs logs;
  private final HostMetrics metrics;
  private final HealthMonitor monitor;
  private final Alerts alerts;

  Host(ServerConfig config) throws IOException {
    long t0 = System.nanoTime();
    this.config = config;
    Files.createDirectories(config.dataDir());
    this.folders = new HostFolders(config.dataDir());
    String instanceId = instanceId(config.dataDir());
    // Before the database and any plugin: a sandbox that does not deny stops the start here.
    HostSandbox.checkAtStart(config.dataDir().resolve("instance-id"));
    this.db =
        config.dbUrl().isPresent()
            ? DatabaseHost.external(config.dbUrl().get(), config.dbUser(), config.dbPassword())
            : DatabaseHost.embedded(config.dataDir().resolve("postgres"));
    long t1 = System.nanoTime();
    this.store = new PluginStore(db.admin());
    this.configStore =
        new ConfigStore(db.admin(), SecretBox.load(config.dataDir(), config.secretKey()));
    this.databases = new PluginDatabases(db);
    this.migrations = new PluginMigrations(db, databases);
    this.users = new UserStore(db.admin());
    this.sessions =
        new SessionStore(db.admin(), BrowserSessions.LIFETIME, config.sessions().idleTimeout());
    this.signIns =
        new SignInLimiter(
            config.sessions().maxFailuresPerUser(),
            config.sessions().maxFailuresPerAddress(),
            config.sessions().failureWindow(),
            java.time.Clock.systemUTC());
    this.audit = new AuditLog(db.admin());
    this.sandbox = new HostSandbox(audit);
    this.services = new ServerHostServices(db.admin(), configStore, databases, users);
    this.runtime =
        PluginRuntime.create(
            new RuntimeOptions(
                config.lifecycleTimeout(),
                CompatibilityChecker.Host.current(),
                services,
                config.calls(),
                PluginLogs.attribution()));
    auditBudgetDeactivations();
    this.metrics =
        new HostMetrics(
            config.monitoring().metricsEnabled(), runtime, sandbox, databases, db.admin());
    this.journal = new OperationJournal(db.admin());
    this.monitor = new HealthMonitor(runtime, audit, metrics, config.monitoring(), journal);
    this.alerts = new Alerts(config.monitoring(), runtime, sandbox, instanceId);
    this.loader = new PluginLoader(store, runtime, databases, folders);
    this.parts =
        new InstallParts(
            db.admin(), store, configStore, databases, migrations, runtime, loader, folders, audit);
    this.installer =
        new PluginInstaller(
            parts,
            journal,
            new HealthGate(runtime, config.upgradeWatch()),
            this::readOptions,
            config,
            metrics);
    this.uninstaller = new PluginUninstaller(parts, journal);
    this.exporter = new PluginExporter(store, configStore, databases, folders, instanceId);
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
    long t2 = System.nanoTime();
    // From here plugins run: their log lines are kept (and a failed start leaves no appender).
    this.logs = PluginLogs.start();
    try {
      restore();
    } catch (IOException | RuntimeException e) {
      logs.close();
      throw e;
    }
    alerts.start();
    monitor.start();
    long t3 = System.nanoTime();
    LOG.info(
        "host parts ready: database {} ms, stores and runtime {} ms, plugins restored {} ms",
        (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000,
        (t3 - t2) / 1_000_000);
  }

  /**
   * Settles what an earlier host left unfinished (journal), then loads every registered plugin from
   * its stored package, in dependency order.
   */
  private void restore() throws IOException {
    HostFolders.deleteTree(config.dataDir().resolve("tmp"));
    new OperationRecovery(journal, databases, migrations, configStore, folders::tempDir).recover();
    HostFolders.deleteTree(config.dataDir().resolve("tmp"));
    loader.loadAll();
  }

  /** The REST API over this host's parts. */
  HttpApi api() {
    return new Endpoints(
            users,
            sessions,
            signIns,
            services,
            parts,
            sandbox,
            installer,
            uninstaller,
            journal,
            exporter,
            logs,
            new HostHealth(db.admin(), runtime, monitor),
            RouteCalls.both(metrics, alerts))
        .api();
  }

  /**
   * The host's HTTP routes: {@code GET /metrics} when metrics are on, then the REST API; every
   * request is timed for the metrics.
   */
  void routing(io.helidon.webserver.http.HttpRouting.Builder r) {
    HttpApi api = api();
    // The admin page (/ and /assets/*) beside the API, on the same port.
    WebAssets page = new WebAssets();
    r.get("/", page::handle)
        .head("/", page::handle)
        .get("/assets/{name}", page::handle)
        .head("/assets/{name}", page::handle);
    // The web components (/ui/components/*.js, also for plugin frames) and their gallery.
    UiComponents ui = new UiComponents();
    r.get("/ui/components/{name}", ui::component).head("/ui/components/{name}", ui::component);
    r.get("/ui/gallery", ui::gallery).head("/ui/gallery", ui::gallery);
    // Plugin pages: their frames, the frames' scripts and the plugins' frontend files.
    PluginFrames frames = new PluginFrames(runtime);
    PluginAssets assets = new PluginAssets(runtime);
    r.get("/plugins/{id}/frame/*", frames::frame).head("/plugins/{id}/frame/*", frames::frame);
    r.get("/ui/plugin-{name}", frames::ui).head("/ui/plugin-{name}", frames::ui);
    r.get("/plugins/{id}/assets/*", assets::handle).head("/plugins/{id}/assets/*", assets::handle);
    if (metrics.enabled()) {
      r.get(
          "/metrics",
          new MetricsEndpoint(metrics, users, config.monitoring().metricsToken())::handle);
      r.any(
          (req, res) -> {
            long start = System.nanoTime();
            try {
              api.handle(req, res);
            } finally {
              metrics.httpRequest(
                  req.prologue().method().text(), res.status().code(), System.nanoTime() - start);
            }
          });
    } else {
      r.any(api::handle);
    }
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

  /** How packages are read now: strictness, signature policy and the trusted keys on disk. */
  private ReadOptions readOptions() {
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

  private static String instanceId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("instance-id");
    if (!Files.exists(file)) {
      Files.writeString(file, UUID.randomUUID().toString());
    }
    return Files.readString(file).trim();
  }

  @Override
  public void close() {
    try {
      monitor.close();
      alerts.close();
      runtime.close();
    } finally {
      sandbox.close();
      databases.close();
      db.close();
      metrics.close();
      logs.close();
    }
  }

  // Inspection for this package's tests only; production code gets its collaborators above.

  DatabaseHost db() {
    return db;
  }

  PluginStore store() {
    return store;
  }

  UserStore users() {
    return users;
  }

  PluginRuntime runtime() {
    return runtime;
  }

  OperationJournal journal() {
    return journal;
  }

  /** A recovery over this host's database that waits this long for a live owner's lock. */
  OperationRecovery recovery(java.time.Duration ownerWait) {
    return new OperationRecovery(
        journal, databases, migrations, configStore, folders::tempDir, ownerWait);
  }
}
