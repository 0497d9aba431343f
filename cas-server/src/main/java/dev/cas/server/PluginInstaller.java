package dev.cas.server;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.SecurityScanner;
import dev.cas.runtime.ConfigValidator;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.semver4j.Semver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Import, upgrade and removal of plugins, each a journaled pipeline of reversible steps ({@link
 * Installation}). Import: read and verify (no side effects) → compatibility, version rules, table
 * ownership → files → role and schema → migrations (one transaction) → data (as the plugin's role)
 * → row-level security → config → start in the runtime → health gate → registry (with the journal's
 * end, one transaction). A failure undoes the steps begun, in reverse; a crash is undone at the
 * next start by {@link OperationRecovery}.
 */
final class PluginInstaller {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PluginInstaller.class);

  private final Host host;
  private final OperationJournal journal;

  PluginInstaller(Host host, OperationJournal journal) {
    this.host = host;
    this.journal = journal;
  }

  /**
   * What an import did.
   *
   * @param info the plugin now
   * @param outcome installed, upgraded or unchanged
   * @param warnings what the reader noticed
   */
  record Result(PluginInfo info, String outcome, List<String> warnings) {}

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
  Map<String, Object> preview(Path zip, boolean upgrade, boolean force) {
    Path work = host.tempDir();
    try {
      Checked checked = check(zip, work, upgrade, force);
      Optional<Manifest> installed =
          checked
              .existing()
              .map(r -> host.loadedPackage(r.id()).map(PluginPackage::manifest))
              .flatMap(o -> o.or(() -> checked.existing().map(PluginRecord::manifest)));
      return ImportPreview.of(
          checked.read(),
          checked.existing().map(PluginRecord::version),
          installed,
          checked.scan(),
          checked.pending(),
          host.databases().applied(checked.read().manifest().id()).keySet(),
          activeVersions(),
          host.config().signaturePolicy().name());
    } finally {
      deleteTree(work);
    }
  }

  Result importPackage(Path zip, boolean upgrade, boolean force) {
    Path work = host.tempDir();
    try {
      Checked checked = check(zip, work, upgrade, force);
      Manifest m = checked.read().manifest();
      if (checked.existing().isPresent()
          && Semver.parse(m.version()).isEqualTo(checked.existing().get().version())
          && host.runtime().find(m.id()).isPresent()) {
        return new Result(
            host.runtime().find(m.id()).orElseThrow(),
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
      deleteTree(work);
    }
  }

  /**
   * Read and verify, compatibility, version rules, table ownership: no side effect but a folder.
   */
  private Checked check(Path zip, Path work, boolean upgrade, boolean force) {
    PluginPackage read = PackageReader.create(host.readOptions()).read(zip, work.resolve("pkg"));
    Manifest m = read.manifest();
    SecurityScanner.Report scan = SecurityScanner.scan(read);
    scan.requireBelow(host.config().securityThreshold(), false);
    CompatibilityChecker.Host h = CompatibilityChecker.Host.current();
    CompatibilityChecker.requireCompatible(
        m,
        new CompatibilityChecker.Host(
            h.casVersion(), h.javaFeature(), h.apiModules(), activeVersions()));
    Optional<PluginRecord> existing = host.store().find(m.id());
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
    host.store()
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
    List<String> pending = host.databases().pending(read);
    for (String file : pending) {
      MigrationSql.requireNoTransactionControl(
          m.id(), file, host.databases().migrationSql(read, file));
    }
    initialConfig(read, existing.isPresent());
    return new Checked(read, existing, scan, pending);
  }

  /** The steps of an install or upgrade, run under the journal. */
  private Result install(Path zip, Checked checked, boolean force) throws IOException {
    PluginPackage read = checked.read();
    Manifest m = read.manifest();
    Optional<PluginRecord> existing = checked.existing();
    byte[] bytes = Files.readAllBytes(zip);
    OperationJournal.Operation op =
        journal.begin(
            m.id(),
            existing.isPresent() ? OperationJournal.Kind.UPGRADE : OperationJournal.Kind.INSTALL,
            existing.map(PluginRecord::version),
            Optional.of(m.version()),
            Optional.of(bytes));
    ObjectNode undo = op.undo();
    undo.put("schema", PluginDatabases.schemaOf(m));
    undo.put("role", host.databases().roleOf(m));
    Installation run = new Installation(journal, op);
    ImportWork w = new ImportWork(read, existing, op);
    try {
      run.run(Installation.Step.of("files", () -> w.moveInPlace(), () -> w.removeFiles()));
      run.run(Installation.Step.of("schema", () -> w.schema(undo), () -> w.undoSchema()));
      run.run(Installation.Step.of("migrations", () -> w.migrate(undo), () -> w.undoMigrate()));
      run.run(Installation.Step.of("data", () -> w.importData(), Installation.Action.NONE));
      run.run(
          Installation.Step.of(
              "isolation",
              () -> host.databases().enableUserIsolation(m),
              Installation.Action.NONE));
      run.run(Installation.Step.of("config", () -> w.configure(undo), () -> w.undoConfigure()));
      run.run(Installation.Step.of("start", () -> w.start(force), () -> w.stop()));
      run.run(Installation.Step.of("health", () -> w.healthGate(), Installation.Action.NONE));
      run.run(
          Installation.Step.of(
              "registry", () -> w.register(bytes, read), Installation.Action.NONE));
    } catch (Exception e) {
      RuntimeException failure =
          e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
      throw run.rollBack(failure);
    }
    Installation.CrashPoint.reached(op.kind(), "end");
    if (existing.isPresent()) {
      host.deleteOldVersions(m.id(), w.pkg.root());
    }
    host.audit(
        "import",
        m.id(),
        "ok",
        m.version() + (w.applied.isEmpty() ? "" : " migrations " + w.applied));
    return new Result(w.info, existing.isPresent() ? "upgraded" : "installed", w.warnings);
  }

  /** The state of one import as its steps run; each method is a step's apply or undo. */
  private final class ImportWork {
    private final PluginPackage read;
    private final Optional<PluginRecord> existing;
    private final OperationJournal.Operation op;
    private final Manifest m;
    private final List<String> warnings;
    private PluginPackage pkg;
    private Path folder;
    private boolean firstVersion;
    private boolean schemaCreated;
    private List<String> applied = List.of();
    private String marker;
    private JsonNode previousConfig;
    private Optional<PluginPackage> previousRuntime = Optional.empty();
    private boolean started;
    private PluginInfo info;

    ImportWork(PluginPackage read, Optional<PluginRecord> existing, OperationJournal.Operation op) {
      this.read = read;
      this.existing = existing;
      this.op = op;
      this.m = read.manifest();
      this.warnings = new ArrayList<>(read.warnings());
      this.pkg = read;
    }

    void moveInPlace() throws IOException {
      folder =
          host.pluginsDir()
              .resolve(m.id())
              .resolve(m.version() + "-" + UUID.randomUUID().toString().substring(0, 8));
      firstVersion = !Files.exists(folder.getParent());
      Files.createDirectories(folder.getParent());
      Files.move(read.root(), folder);
      pkg =
          new PluginPackage(
              folder.toRealPath(),
              m,
              read.metadata(),
              read.files(),
              read.signerKeyId(),
              read.signed(),
              read.warnings());
    }

    void removeFiles() {
      if (folder != null) {
        deleteTree(firstVersion ? folder.getParent() : folder);
      }
    }

    void schema(ObjectNode undo) {
      PluginDatabases dbs = host.databases();
      schemaCreated = !dbs.schemaExists(m);
      undo.put("schemaCreated", schemaCreated);
      journal.reach(undoOwner(), "schema");
      dbs.ensureRoleAndSchema(m);
    }

    void undoSchema() {
      if (schemaCreated) {
        host.databases().purge(m);
      } else if (existing.isEmpty() || host.runtime().find(m.id()).isEmpty()) {
        host.databases().closePool(m.id());
      }
    }

    void migrate(ObjectNode undo) {
      List<String> pending = host.databases().pending(pkg);
      marker = "cas-op:" + undoOwner().id();
      ArrayNode files = undo.putArray("migrations");
      pending.forEach(files::add);
      undo.put("marker", marker);
      journal.reach(undoOwner(), "migrations");
      host.databases().migrate(pkg, pending, marker);
      applied = pending;
      List<String> undeclared = host.databases().undeclaredTables(m);
      if (!undeclared.isEmpty()) {
        throw new HostException(
            HostException.Reason.UNDECLARED_TABLE,
            "migrations of plugin ["
                + m.id()
                + "] created tables "
                + undeclared
                + " that database.tables does not declare");
      }
      List<String> notTables = host.databases().declaredNonTables(m);
      if (!notTables.isEmpty()) {
        throw new HostException(
            HostException.Reason.UNDECLARED_TABLE,
            "migrations of plugin ["
                + m.id()
                + "] made declared tables "
                + notTables
                + " something other than plain tables");
      }
      host.databases().requirePlainRole(m);
    }

    void undoMigrate() {
      if (!schemaCreated
          && marker != null
          && host.databases().markerPresent(PluginDatabases.schemaOf(m), marker)) {
        host.databases().rollback(pkg, applied);
      }
    }

    void importData() {
      if (schemaCreated) {
        importRecords(pkg);
      }
    }

    void configure(ObjectNode undo) {
      previousConfig = host.configStore().snapshot(m.id());
      undo.set("config", previousConfig);
      journal.reach(undoOwner(), "config");
      Map<String, Object> config = initialConfig(pkg, existing.isPresent());
      // Invalid configuration blocks activation: a required key without a value keeps it inactive.
      List<String> missing = ConfigValidator.problems(m, config);
      if (!missing.isEmpty() && m.status() == Manifest.DesiredStatus.ACTIVE) {
        pkg = Host.withStatus(pkg, "inactive");
        warnings.add(
            "plugin ["
                + m.id()
                + "] stays inactive until its configuration is valid: "
                + String.join("; ", missing));
      }
      host.configStore().replace(m, config);
    }

    void undoConfigure() {
      if (previousConfig != null) {
        host.configStore().restore(m.id(), previousConfig);
      }
    }

    void start(boolean force) {
      PluginRuntime runtime = host.runtime();
      previousRuntime = host.loadedPackage(m.id());
      if (previousRuntime.isEmpty()) {
        info = runtime.install(pkg);
      } else {
        info = runtime.upgrade(pkg, force);
      }
      started = true;
    }

    void stop() {
      if (!started) {
        return;
      }
      if (previousRuntime.isPresent()) {
        host.runtime().upgrade(previousRuntime.get(), true);
      } else if (host.runtime().find(m.id()).isPresent()) {
        host.runtime().uninstall(m.id(), true);
      }
    }

    void healthGate() throws InterruptedException {
      info = host.healthGate().observe(info, existing.isPresent());
    }

    void register(byte[] bytes, PluginPackage verified) {
      Manifest registered = pkg.manifest();
      Sql.inTransaction(
          host.db().admin(),
          c -> {
            host.store()
                .save(
                    c,
                    registered,
                    manifestJson(pkg),
                    host.databases().roleOf(m),
                    verified.signerKeyId(),
                    bytes,
                    ChecksumFile.sha256(bytes),
                    docsOf(pkg));
            // Inside the transaction: a failure injected here rolls the registry write back.
            Installation.CrashPoint.failIfAsked(op.kind(), "registry");
            journal.finish(c, op, "done", m.version());
            return null;
          });
    }

    private OperationJournal.Operation undoOwner() {
      return op;
    }
  }

  private Map<String, String> activeVersions() {
    Map<String, String> out = new LinkedHashMap<>();
    host.runtime().list().stream()
        .filter(p -> p.state() == dev.cas.plugin.api.PluginState.ACTIVE)
        .forEach(p -> out.put(p.id(), p.version()));
    return out;
  }

  /** Rows of data/export.json, table by table in database.tables order, all in one transaction. */
  @SuppressWarnings("unchecked")
  private void importRecords(PluginPackage pkg) {
    JsonNode data = dataExport(pkg);
    JsonNode records = data == null ? null : data.get("records");
    if (records == null || !records.isObject()) {
      return;
    }
    Map<String, List<Map<String, Object>>> byTable = new LinkedHashMap<>();
    for (String table : pkg.manifest().database().tables()) {
      if (records.has(table)) {
        byTable.put(table, new ArrayList<>());
      }
    }
    for (Map.Entry<String, JsonNode> table : records.properties()) {
      List<Map<String, Object>> rows =
          byTable.computeIfAbsent(table.getKey(), k -> new ArrayList<>());
      for (JsonNode row : table.getValue()) {
        rows.add(JSON.convertValue(row, Map.class));
      }
    }
    host.databases().insertRows(pkg.manifest(), byTable);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> initialConfig(PluginPackage pkg, boolean upgrade) {
    Manifest m = pkg.manifest();
    Map<String, Object> values = new LinkedHashMap<>();
    if (upgrade) {
      host.configStore()
          .values(m.id())
          .forEach(
              (k, v) -> {
                if (m.configSchema().containsKey(k)) {
                  values.put(k, v);
                }
              });
    } else {
      JsonNode data = dataExport(pkg);
      if (data != null && data.has("config")) {
        values.putAll(JSON.convertValue(data.get("config"), Map.class));
      }
      values
          .keySet()
          .removeIf(k -> m.configSchema().containsKey(k) && m.configSchema().get(k).secret());
    }
    List<String> problems = ConfigValidator.problems(m, values);
    problems = problems.stream().filter(p -> !p.endsWith("is required")).toList();
    if (!problems.isEmpty()) {
      throw new HostException(
          HostException.Reason.CONFIG_INVALID,
          "configuration in data/export.json of plugin ["
              + m.id()
              + "] is invalid: "
              + String.join("; ", problems));
    }
    return values;
  }

  /**
   * Removes a plugin (and, with force, the plugins that depend on it); with purge, its migrations
   * are rolled back and its schema and role dropped. Journaled: runtime → registry (with the
   * journal's step, one transaction) → purge. A crash before the registry write leaves the plugin
   * installed; after it, the next start finishes the purge.
   */
  List<String> uninstall(String id, boolean purge, boolean force) {
    PluginRecord rec =
        host.store()
            .find(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed"));
    if (rec.system()) {
      throw new HostException(
          HostException.Reason.SYSTEM_PLUGIN,
          "plugin [" + id + "] is a system plugin and cannot be uninstalled");
    }
    OperationJournal.Operation op =
        journal.begin(
            id,
            OperationJournal.Kind.UNINSTALL,
            Optional.of(rec.version()),
            Optional.empty(),
            Optional.empty());
    op.undo().put("schema", rec.schema());
    op.undo().put("role", rec.role());
    op.undo().put("purge", purge);
    Installation run = new Installation(journal, op);
    Optional<PluginPackage> pkg = host.loadedPackage(id);
    List<PluginPackage> unloaded = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    try {
      run.run(
          Installation.Step.of(
              "runtime",
              () -> {
                if (host.runtime().find(id).isEmpty()) {
                  removed.add(id);
                  return;
                }
                List<String> ids = host.runtime().list().stream().map(PluginInfo::id).toList();
                Map<String, PluginPackage> before = new LinkedHashMap<>();
                for (String other : ids) {
                  host.loadedPackage(other).ifPresent(p -> before.put(other, p));
                }
                removed.addAll(host.runtime().uninstall(id, force));
                removed.forEach(r -> Optional.ofNullable(before.get(r)).ifPresent(unloaded::add));
              },
              () -> {
                if (!unloaded.isEmpty()) {
                  host.runtime().installAll(unloaded);
                }
              }));
      run.run(
          Installation.Step.of(
              "registry",
              () ->
                  Sql.inTransaction(
                      host.db().admin(),
                      c -> {
                        for (String rid : removed) {
                          host.store().delete(c, rid);
                        }
                        journal.reach(c, op, "purge");
                        return null;
                      }),
              Installation.Action.NONE));
    } catch (Exception e) {
      RuntimeException failure =
          e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
      throw run.rollBack(failure);
    }
    // Past the registry write the uninstall is done; what follows finishes it, even after a crash.
    Installation.CrashPoint.reached(op.kind(), "purge");
    for (String rid : removed) {
      if (purge && rid.equals(id)) {
        pkg.ifPresent(
            p -> {
              try {
                host.databases()
                    .rollback(
                        p,
                        p.manifest().database().migrations().stream()
                            .filter(f -> host.databases().applied(rid).containsKey(f))
                            .toList());
              } catch (RuntimeException e) {
                LOG.warn(
                    "rollback files of plugin [{}] failed ({}); its schema is dropped anyway",
                    rid,
                    e.getMessage());
              }
            });
        host.databases().purge(rid, rec.schema(), rec.role());
      } else {
        host.databases().closePool(rid);
      }
      deleteTree(host.pluginsDir().resolve(rid));
      host.audit("uninstall", rid, "ok", purge && rid.equals(id) ? "data purged" : "data kept");
    }
    journal.finish(op, "done", purge ? "data purged" : "data kept");
    return removed;
  }

  private static JsonNode dataExport(PluginPackage pkg) {
    Path file = pkg.file("data/export.json");
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String manifestJson(PluginPackage pkg) {
    try {
      return Files.readString(pkg.file("plugin.json"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The package's documentation pages, from docs/index.json. */
  static List<PluginStore.Doc> docsOf(PluginPackage pkg) {
    Path index = pkg.file("docs/index.json");
    if (!Files.exists(index)) {
      return List.of();
    }
    try {
      List<PluginStore.Doc> docs = new ArrayList<>();
      for (JsonNode d : JSON.readTree(Files.readAllBytes(index))) {
        String file = d.get("file").asString();
        String path = file.startsWith("docs/") ? file : "docs/" + file;
        String content = Files.readString(pkg.file(path), StandardCharsets.UTF_8);
        String format = text(d, "format", file.endsWith(".html") ? "html" : "markdown");
        docs.add(
            new PluginStore.Doc(
                text(d, "type", "readme"),
                d.get("title").asString(),
                format,
                text(d, "language", "en"),
                text(d, "version", pkg.manifest().version()),
                path.substring("docs/".length()),
                format.equals("html") ? HtmlSanitizer.clean(content) : content));
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode node, String field, String def) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? def : v.asString();
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
