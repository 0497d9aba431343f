package dev.cas.server.install;

import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.database.PluginMigrations;
import dev.cas.server.registry.ConfigStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * At start, before the registry's plugins are loaded: every operation a host left running (it was
 * killed, or an undo failed) is rolled back to the old state, or, for an uninstall past its
 * registry write, finished. Never a mix. Files and the runtime need nothing: the host rebuilds both
 * from the registry at every start.
 */
public final class OperationRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(OperationRecovery.class);

  /** How long a restarted host waits for a killed owner's session to end before it skips. */
  static final java.time.Duration OWNER_WAIT = java.time.Duration.ofSeconds(10);

  private final OperationJournal journal;
  private final PluginDatabases databases;
  private final PluginMigrations migrations;
  private final ConfigStore configs;
  private final Supplier<Path> tempDir;
  private final java.time.Duration ownerWait;

  public OperationRecovery(
      OperationJournal journal,
      PluginDatabases databases,
      PluginMigrations migrations,
      ConfigStore configs,
      Supplier<Path> tempDir) {
    this(journal, databases, migrations, configs, tempDir, OWNER_WAIT);
  }

  public OperationRecovery(
      OperationJournal journal,
      PluginDatabases databases,
      PluginMigrations migrations,
      ConfigStore configs,
      Supplier<Path> tempDir,
      java.time.Duration ownerWait) {
    this.ownerWait = ownerWait;
    this.journal = journal;
    this.databases = databases;
    this.migrations = migrations;
    this.configs = configs;
    this.tempDir = tempDir;
  }

  /**
   * Settles every unfinished operation.
   *
   * @return one line per operation settled, for the log and the tests
   */
  public List<String> recover() {
    List<String> done = new ArrayList<>();
    for (OperationJournal.Operation op : journal.unfinished()) {
      String[] line = new String[1];
      boolean ran =
          journal.whenOwnerGone(
              op,
              ownerWait,
              () ->
                  line[0] =
                      op.kind() == OperationJournal.Kind.UNINSTALL
                          ? finishUninstall(op)
                          : rollBackInstall(op));
      if (!ran) {
        line[0] =
            op.kind().id()
                + " of plugin ["
                + op.pluginId()
                + "] is still running on a host that holds its lock; left to it";
      }
      LOG.warn("{}", line[0]);
      done.add(line[0]);
    }
    return done;
  }

  private String finishUninstall(OperationJournal.Operation op) {
    JsonNode undo = op.undo();
    if (!op.step().equals("purge")) {
      journal.finish(op, "rolled-back", "interrupted before its registry write; still installed");
      return "uninstall of plugin [" + op.pluginId() + "] interrupted at [" + op.step() + "]: kept";
    }
    if (undo.path("purge").asBoolean(false)) {
      databases.purge(op.pluginId(), undo.get("schema").asString(), undo.get("role").asString());
    }
    journal.finish(op, "finished-at-recovery", "finished after an interruption");
    return "uninstall of plugin [" + op.pluginId() + "] interrupted at [purge]: finished";
  }

  private String rollBackInstall(OperationJournal.Operation op) {
    JsonNode undo = op.undo();
    String schema = undo.path("schema").asString(null);
    String role = undo.path("role").asString(null);
    boolean schemaCreated = undo.path("schemaCreated").asBoolean(false);
    if (undo.has("config")) {
      configs.restore(op.pluginId(), undo.get("config"));
    }
    List<String> files = new ArrayList<>();
    undo.path("migrations").forEach(f -> files.add(f.asString()));
    if (schemaCreated) {
      databases.purge(op.pluginId(), schema, role);
    } else if (!files.isEmpty()
        && undo.has("marker")
        && migrations.markerPresent(schema, undo.get("marker").asString())) {
      // The migration transaction committed: run the new package's rollback files.
      PluginPackage pkg = unpack(op);
      databases.ensureRoleAndSchema(pkg.manifest());
      try {
        migrations.rollback(pkg, files);
      } finally {
        databases.closePool(op.pluginId());
      }
    } else if (!files.isEmpty()) {
      // It did not: nothing ran; forget any record of those files.
      migrations.forget(op.pluginId(), files);
    }
    journal.finish(op, "rolled-back", "interrupted at [" + op.step() + "]; rolled back at start");
    return op.kind().id()
        + " of plugin ["
        + op.pluginId()
        + "] "
        + op.toVersion().orElse("")
        + " interrupted at ["
        + op.step()
        + "]: rolled back"
        + op.fromVersion().map(v -> " to " + v).orElse("");
  }

  /** The operation's new package, for its rollback files; it was verified when it was imported. */
  private PluginPackage unpack(OperationJournal.Operation op) {
    Path dir = tempDir.get();
    try {
      Path zip = dir.resolve("op.zip");
      Files.write(zip, op.packageBytes().orElseThrow());
      return PackageReader.create(ReadOptions.defaults()).read(zip, dir.resolve("pkg"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
