package dev.cas.server.install;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.ConfigValidator;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.registry.PluginRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The steps of one install or upgrade and their undos, with the state they share (the package's
 * folder, whether the schema was created, the migrations applied and their marker, the previous
 * configuration, the version the runtime ran before). Each method is one step's apply or undo;
 * {@link Installation} runs them under the journal. What a restarted host needs to undo a step is
 * written to the operation's {@code undo} before the step's side effect.
 */
final class ImportSteps {

  private final InstallParts parts;
  private final HealthGate healthGate;
  private final OperationJournal journal;
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

  /** The package as installed (its final folder once the files step ran). */
  PluginPackage pkg() {
    return pkg;
  }

  /** The migrations this operation applied. */
  List<String> applied() {
    return applied;
  }

  /** The plugin as the runtime reports it after the start and health steps. */
  PluginInfo info() {
    return info;
  }

  /** What the reader and the steps noticed. */
  List<String> warnings() {
    return warnings;
  }

  ImportSteps(
      InstallParts parts,
      HealthGate healthGate,
      OperationJournal journal,
      PluginPackage read,
      Optional<PluginRecord> existing,
      OperationJournal.Operation op) {
    this.parts = parts;
    this.healthGate = healthGate;
    this.journal = journal;
    this.read = read;
    this.existing = existing;
    this.op = op;
    this.m = read.manifest();
    this.warnings = new ArrayList<>(read.warnings());
    this.pkg = read;
  }

  void moveInPlace() throws IOException {
    folder =
        parts
            .folders()
            .pluginsDir()
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
      HostFolders.deleteTree(firstVersion ? folder.getParent() : folder);
    }
  }

  void schema(ObjectNode undo) {
    PluginDatabases dbs = parts.databases();
    schemaCreated = !dbs.schemaExists(m);
    undo.put("schemaCreated", schemaCreated);
    journal.reach(undoOwner(), "schema");
    dbs.ensureRoleAndSchema(m);
  }

  void undoSchema() {
    if (schemaCreated) {
      parts.databases().purge(m);
    } else if (existing.isEmpty() || parts.runtime().find(m.id()).isEmpty()) {
      parts.databases().closePool(m.id());
    }
  }

  void migrate(ObjectNode undo) {
    List<String> pending = parts.migrations().pending(pkg);
    marker = "cas-op:" + undoOwner().id();
    ArrayNode files = undo.putArray("migrations");
    pending.forEach(files::add);
    undo.put("marker", marker);
    journal.reach(undoOwner(), "migrations");
    parts.migrations().migrate(pkg, pending, marker);
    applied = pending;
  }

  void undoMigrate() {
    if (!schemaCreated
        && marker != null
        && parts.migrations().markerPresent(PluginDatabases.schemaOf(m), marker)) {
      parts.migrations().rollback(pkg, applied);
    }
  }

  void importData() {
    if (schemaCreated) {
      parts.databases().insertRows(pkg.manifest(), PackageContents.records(pkg));
      // The rows fired the plugin's triggers (as its role): check again what the role owns.
      parts.migrations().requireSound(m);
    }
  }

  void configure(ObjectNode undo) {
    previousConfig = parts.configStore().snapshot(m.id());
    undo.set("config", previousConfig);
    journal.reach(undoOwner(), "config");
    Map<String, Object> config =
        PackageContents.initialConfig(parts.configStore(), pkg, existing.isPresent());
    // Invalid configuration blocks activation: a required key without a value keeps it inactive.
    List<String> missing = ConfigValidator.problems(m, config);
    if (!missing.isEmpty() && m.status() == Manifest.DesiredStatus.ACTIVE) {
      pkg = PluginLoader.withStatus(pkg, "inactive");
      warnings.add(
          "plugin ["
              + m.id()
              + "] stays inactive until its configuration is valid: "
              + String.join("; ", missing));
    }
    parts.configStore().replace(m, config);
  }

  void undoConfigure() {
    if (previousConfig != null) {
      parts.configStore().restore(m.id(), previousConfig);
    }
  }

  void start(boolean force) {
    PluginRuntime runtime = parts.runtime();
    previousRuntime = parts.loader().loadedPackage(m.id());
    if (existing.isEmpty()) {
      // Its routes answer 404, as for any plugin not installed, until the registry step commits.
      parts.loader().startingUnregistered(m.id());
    }
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
      parts.runtime().upgrade(previousRuntime.get(), true);
    } else if (parts.runtime().find(m.id()).isPresent()) {
      parts.runtime().uninstall(m.id(), true);
    }
  }

  void healthGate() throws InterruptedException {
    info = healthGate.observe(info, existing.isPresent());
  }

  /**
   * The registry step: the plugin's row, tables, docs and folder pin, and the journal's end, in the
   * transaction that already holds the package's bytes.
   */
  void register(RegistryTransaction registry, PluginPackage verified)
      throws SQLException, InterruptedException {
    Manifest registered = pkg.manifest();
    registry.commit(
        c -> {
          parts
              .store()
              .save(
                  c,
                  registered,
                  PackageContents.manifestJson(pkg),
                  parts.databases().roleOf(m),
                  verified.signerKeyId(),
                  PackageContents.docsOf(pkg));
          parts.store().recordFolder(c, m.id(), PluginLoader.pinOf(parts.folders(), pkg));
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
