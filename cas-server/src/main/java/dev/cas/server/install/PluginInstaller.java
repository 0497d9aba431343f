package dev.cas.server.install;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.packaging.SecurityScanner;
import dev.cas.runtime.PluginInfo;
import dev.cas.server.HostException;
import dev.cas.server.ServerConfig;
import dev.cas.server.database.MigrationSql;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.registry.PluginRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.semver4j.Semver;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Import, upgrade and removal of plugins, each a journaled pipeline of reversible steps ({@link
 * Installation}). Import: read and verify (no side effects) → compatibility, version rules, table
 * ownership → files → role and schema → migrations (one transaction) → data (as the plugin's role)
 * → row-level security → config → start in the runtime → health gate → registry (with the journal's
 * end, one transaction). A failure undoes the steps begun, in reverse; a crash is undone at the
 * next start by {@link OperationRecovery}.
 */
public final class PluginInstaller {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PluginInstaller.class);

  private final InstallParts parts;
  private final OperationJournal journal;
  private final HealthGate healthGate;
  private final Supplier<ReadOptions> reading;
  private final ServerConfig config;
  private final dev.cas.server.ops.HostMetrics metrics;

  /**
   * @param parts what the pipeline acts on
   * @param journal the operation journal
   * @param healthGate watches a new version after its routes switch
   * @param reading how packages are read and verified (signature policy, trusted keys) at the time
   *     of each import
   * @param config the security threshold and signature policy
   * @param metrics where imports and their durations are counted
   */
  public PluginInstaller(
      InstallParts parts,
      OperationJournal journal,
      HealthGate healthGate,
      Supplier<ReadOptions> reading,
      ServerConfig config,
      dev.cas.server.ops.HostMetrics metrics) {
    this.metrics = metrics;
    this.parts = parts;
    this.journal = journal;
    this.healthGate = healthGate;
    this.reading = reading;
    this.config = config;
  }

  /**
   * What an import did.
   *
   * @param info the plugin now
   * @param outcome installed, upgraded or unchanged
   * @param warnings what the reader noticed
   */
  public record Result(PluginInfo info, String outcome, List<String> warnings) {}

  /** A package that passed every check without side effects, and the installed version, if any. */
  private record Checked(
      PluginPackage read,
      Optional<PluginRecord> existing,
      SecurityScanner.Report scan,
      List<String> pending) {}

  /**
   * Every check an import runs that changes nothing (read and verify, signature policy, manifest,
   * security scan, compatibility, version rules, table ownership, applied migrations' checksums,
   * transaction control in the pending migrations, data/export.json's configuration), and what the
   * import would do: the preview the web page and {@code cas install} show before anything changes.
   * Leaves the registry, files, database and runtime untouched.
   *
   * @throws RuntimeException the refusal the import would answer
   */
  public Map<String, Object> preview(Path zip, boolean upgrade, boolean force) {
    Path work = parts.folders().tempDir();
    try {
      Checked checked = check(zip, work, upgrade, force);
      Optional<Manifest> installed =
          checked
              .existing()
              .map(r -> parts.loader().loadedPackage(r.id()).map(PluginPackage::manifest))
              .flatMap(o -> o.or(() -> checked.existing().map(PluginRecord::manifest)));
      return ImportPreview.of(
          checked.read(),
          checked.existing().map(PluginRecord::version),
          installed,
          checked.scan(),
          checked.pending(),
          parts.migrations().applied(checked.read().manifest().id()).keySet(),
          activeVersions(),
          config.signaturePolicy().name());
    } finally {
      HostFolders.deleteTree(work);
    }
  }

  /** Imports a package (install, or upgrade when {@code upgrade}), timed for the metrics. */
  public Result importPackage(Path zip, boolean upgrade, boolean force) {
    long start = System.nanoTime();
    String outcome = "refused";
    try {
      Result r = importTimed(zip, upgrade, force);
      outcome = r.outcome();
      return r;
    } finally {
      metrics.imported(
          upgrade ? "upgrade" : "install",
          outcome,
          java.time.Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private Result importTimed(Path zip, boolean upgrade, boolean force) {
    Path work = parts.folders().tempDir();
    try {
      Checked checked = check(zip, work, upgrade, force);
      Manifest m = checked.read().manifest();
      if (checked.existing().isPresent()
          && Semver.parse(m.version()).isEqualTo(checked.existing().get().version())
          && parts.runtime().find(m.id()).isPresent()) {
        return new Result(
            parts.runtime().find(m.id()).orElseThrow(),
            "unchanged",
            List.of(
                "plugin ["
                    + m.id()
                    + "] version "
                    + m.version()
                    + " is installed already; nothing changed"));
      }
      return install(zip, checked, force);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      HostFolders.deleteTree(work);
    }
  }

  /**
   * Read and verify, compatibility, version rules, table ownership: no side effect but a folder.
   */
  private Checked check(Path zip, Path work, boolean upgrade, boolean force) {
    PluginPackage read = PackageReader.create(reading.get()).read(zip, work.resolve("pkg"));
    Manifest m = read.manifest();
    SecurityScanner.Report scan = SecurityScanner.scan(read);
    scan.requireBelow(config.securityThreshold(), false);
    CompatibilityChecker.Host h = CompatibilityChecker.Host.current();
    CompatibilityChecker.requireCompatible(
        m,
        new CompatibilityChecker.Host(
            h.casVersion(), h.javaFeature(), h.apiModules(), activeVersions()));
    Optional<PluginRecord> existing = parts.store().find(m.id());
    if (existing.isPresent()) {
      String installed = existing.get().version();
      int cmp = Semver.parse(m.version()).compareTo(Semver.parse(installed));
      if (cmp < 0 && !force) {
        throw new HostException(
            HostException.Reason.VERSION_DOWNGRADE,
            "plugin ["
                + m.id()
                + "] version "
                + installed
                + " is installed; refusing older version "
                + m.version()
                + " (force=true to downgrade)");
      }
      if (cmp > 0 && !upgrade && !force) {
        throw new HostException(
            HostException.Reason.UPGRADE_REQUIRED,
            "plugin ["
                + m.id()
                + "] version "
                + installed
                + " is installed; import version "
                + m.version()
                + " with upgrade=true to replace it");
      }
    }
    parts
        .store()
        .tableOwner(m.id(), m.database().tables())
        .ifPresent(
            owner -> {
              throw new HostException(
                  HostException.Reason.TABLE_CONFLICT,
                  "table ["
                      + owner.table()
                      + "] declared by plugin ["
                      + m.id()
                      + "] belongs to plugin ["
                      + owner.pluginId()
                      + "]");
            });
    List<String> pending = parts.migrations().pending(read);
    for (String file : pending) {
      MigrationSql.requireNoTransactionControl(
          m.id(), file, parts.migrations().migrationSql(read, file));
    }
    PackageContents.initialConfig(parts.configStore(), read, existing.isPresent());
    return new Checked(read, existing, scan, pending);
  }

  /** The steps of an install or upgrade, run under the journal. */
  private Result install(Path zip, Checked checked, boolean force) throws IOException {
    PluginPackage read = checked.read();
    Manifest m = read.manifest();
    Optional<PluginRecord> existing = checked.existing();
    String zipSha256 = ChecksumFile.sha256(zip);
    // A restarted host needs the package's rollback files only when migrations would run on a
    // schema that stays (an upgrade, or a reinstall over kept data); a new schema is dropped whole.
    boolean keepsSchema = existing.isPresent() || parts.databases().schemaExists(m);
    OperationJournal.Operation op =
        journal.begin(
            m.id(),
            existing.isPresent() ? OperationJournal.Kind.UPGRADE : OperationJournal.Kind.INSTALL,
            existing.map(PluginRecord::version),
            Optional.of(m.version()),
            keepsSchema && !checked.pending().isEmpty()
                ? Optional.of(Files.readAllBytes(zip))
                : Optional.empty());
    ObjectNode undo = op.undo();
    undo.put("schema", PluginDatabases.schemaOf(m));
    undo.put("role", parts.databases().roleOf(m));
    Installation run = new Installation(journal, op);
    ImportSteps w = new ImportSteps(parts, healthGate, journal, read, existing, op);
    RegistryTransaction registry = null;
    try {
      // The package's bytes go into the registry's transaction while the other steps run.
      registry = RegistryTransaction.begin(journal.session(op), parts.store(), m, zip, zipSha256);
      RegistryTransaction tx = registry;
      run.run(Installation.Step.of("files", () -> w.moveInPlace(), () -> w.removeFiles()));
      run.run(Installation.Step.of("schema", () -> w.schema(undo), () -> w.undoSchema()));
      run.run(Installation.Step.of("migrations", () -> w.migrate(undo), () -> w.undoMigrate()));
      run.run(Installation.Step.of("data", () -> w.importData(), Installation.Action.NONE));
      run.run(
          Installation.Step.of(
              "isolation",
              () -> parts.databases().enableUserIsolation(m),
              Installation.Action.NONE));
      run.run(Installation.Step.of("config", () -> w.configure(undo), () -> w.undoConfigure()));
      run.run(Installation.Step.of("start", () -> w.start(force), () -> w.stop()));
      run.run(Installation.Step.of("health", () -> w.healthGate(), Installation.Action.NONE));
      run.run(
          Installation.Step.of("registry", () -> w.register(tx, read), Installation.Action.NONE));
    } catch (Exception e) {
      RuntimeException failure =
          e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
      if (registry != null) {
        registry.abandon(failure);
      }
      throw run.rollBack(failure);
    } finally {
      parts.loader().registryDecided(m.id());
      journal.release(op);
    }
    Installation.CrashPoint.reached(op.kind(), "end");
    if (existing.isPresent()) {
      parts.folders().deleteOldVersions(m.id(), w.pkg().root());
    }
    parts
        .audit()
        .byCaller(
            "import",
            m.id(),
            "ok",
            m.version() + (w.applied().isEmpty() ? "" : " migrations " + w.applied()));
    return new Result(w.info(), existing.isPresent() ? "upgraded" : "installed", w.warnings());
  }

  private Map<String, String> activeVersions() {
    Map<String, String> out = new LinkedHashMap<>();
    parts.runtime().list().stream()
        .filter(p -> p.state() == dev.cas.plugin.api.PluginState.ACTIVE)
        .forEach(p -> out.put(p.id(), p.version()));
    return out;
  }
}
