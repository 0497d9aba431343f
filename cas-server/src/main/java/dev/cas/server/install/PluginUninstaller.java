package dev.cas.server.install;

import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.PluginInfo;
import dev.cas.server.HostException;
import dev.cas.server.database.Sql;
import dev.cas.server.registry.PluginRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Uninstall as a journaled pipeline: runtime → registry (with the journal's step, one transaction)
 * → purge. Before the registry write it is undone on failure (the plugins removed from the runtime
 * are loaded again); after it, it is finished, also by a host restarted after a crash.
 */
public final class PluginUninstaller {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PluginUninstaller.class);

  private final InstallParts parts;
  private final OperationJournal journal;

  public PluginUninstaller(InstallParts parts, OperationJournal journal) {
    this.parts = parts;
    this.journal = journal;
  }

  /**
   * Removes a plugin (and, with force, the plugins that depend on it); with purge, its migrations
   * are rolled back and its schema and role dropped. Journaled: runtime → registry (with the
   * journal's step, one transaction) → purge. A crash before the registry write leaves the plugin
   * installed; after it, the next start finishes the purge.
   */
  public List<String> uninstall(String id, boolean purge, boolean force) {
    PluginRecord rec =
        parts
            .store()
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
    try {
      Installation run = new Installation(journal, op);
      Optional<PluginPackage> pkg = parts.loader().loadedPackage(id);
      List<PluginPackage> unloaded = new ArrayList<>();
      List<String> removed = new ArrayList<>();
      try {
        run.run(
            Installation.Step.of(
                "runtime",
                () -> {
                  if (parts.runtime().find(id).isEmpty()) {
                    removed.add(id);
                    return;
                  }
                  List<String> ids = parts.runtime().list().stream().map(PluginInfo::id).toList();
                  Map<String, PluginPackage> before = new LinkedHashMap<>();
                  for (String other : ids) {
                    parts.loader().loadedPackage(other).ifPresent(p -> before.put(other, p));
                  }
                  removed.addAll(parts.runtime().uninstall(id, force));
                  removed.forEach(r -> Optional.ofNullable(before.get(r)).ifPresent(unloaded::add));
                },
                () -> {
                  if (!unloaded.isEmpty()) {
                    parts.runtime().installAll(unloaded);
                  }
                }));
        run.run(
            Installation.Step.of(
                "registry",
                () ->
                    Sql.inTransaction(
                        parts.admin(),
                        c -> {
                          for (String rid : removed) {
                            parts.store().delete(c, rid);
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
      // Past the registry write the uninstall is done; what follows finishes it, even after a
      // crash.
      Installation.CrashPoint.reached(op.kind(), "purge");
      for (String rid : removed) {
        if (purge && rid.equals(id)) {
          pkg.ifPresent(
              p -> {
                try {
                  parts
                      .migrations()
                      .rollback(
                          p,
                          p.manifest().database().migrations().stream()
                              .filter(f -> parts.migrations().applied(rid).containsKey(f))
                              .toList());
                } catch (RuntimeException e) {
                  LOG.warn(
                      "rollback files of plugin [{}] failed ({}); its schema is dropped anyway",
                      rid,
                      e.getMessage());
                }
              });
          parts.databases().purge(rid, rec.schema(), rec.role());
        } else {
          parts.databases().closePool(rid);
        }
        HostFolders.deleteTree(parts.folders().pluginsDir().resolve(rid));
        parts
            .audit()
            .byCaller(
                "uninstall", rid, "ok", purge && rid.equals(id) ? "data purged" : "data kept");
      }
      journal.finish(op, "done", purge ? "data purged" : "data kept");
      return removed;
    } finally {
      journal.release(op);
    }
  }
}
