package dev.cas.server;

import dev.cas.packaging.PluginPackage;
import dev.cas.runtime.PluginInfo;
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
final class PluginUninstaller {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PluginUninstaller.class);

  private final Host host;
  private final OperationJournal journal;

  PluginUninstaller(Host host, OperationJournal journal) {
    this.host = host;
    this.journal = journal;
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
    try {
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
      // Past the registry write the uninstall is done; what follows finishes it, even after a
      // crash.
      Installation.CrashPoint.reached(op.kind(), "purge");
      for (String rid : removed) {
        if (purge && rid.equals(id)) {
          pkg.ifPresent(
              p -> {
                try {
                  host.migrations()
                      .rollback(
                          p,
                          p.manifest().database().migrations().stream()
                              .filter(f -> host.migrations().applied(rid).containsKey(f))
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
        PluginInstaller.deleteTree(host.pluginsDir().resolve(rid));
        host.audit("uninstall", rid, "ok", purge && rid.equals(id) ? "data purged" : "data kept");
      }
      journal.finish(op, "done", purge ? "data purged" : "data kept");
      return removed;
    } finally {
      journal.release(op);
    }
  }
}
