package dev.cas.server;

import dev.cas.server.database.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Everything an install, upgrade or uninstall may change, read from a real host: the registry, the
 * stored packages (by digest), the applied migrations, the journal's unfinished operations, plugin
 * schemas, roles (with their attributes), tables and their row counts, configuration rows (secrets
 * as stored, encrypted), the plugin folders and the runtime. Two snapshots are equal when nothing
 * of it changed.
 */
record HostSnapshot(
    List<Map<String, Object>> registry,
    List<Map<String, Object>> packages,
    List<Map<String, Object>> migrations,
    List<Map<String, Object>> unfinished,
    List<Map<String, Object>> schemas,
    List<Map<String, Object>> roles,
    List<String> tables,
    List<Map<String, Object>> config,
    List<String> folders,
    List<String> runtime) {

  /** Takes a snapshot; {@code withFolderNames} false counts folders per plugin instead. */
  static HostSnapshot of(TestHost host, boolean withFolderNames) {
    DataSource ds = host.server.host().db().admin();
    List<String> tables = new ArrayList<>();
    for (Map<String, Object> t :
        Sql.query(
            ds,
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname LIKE 'plugin_%' ORDER BY 1, 2")) {
      String qualified = "\"" + t.get("schemaname") + "\".\"" + t.get("tablename") + "\"";
      Object rows = Sql.query(ds, "SELECT count(*) AS n FROM " + qualified).getFirst().get("n");
      tables.add(t.get("schemaname") + "." + t.get("tablename") + " rows=" + rows);
    }
    return new HostSnapshot(
        Sql.query(
            ds, "SELECT id, version, desired_state, manifest::text FROM cas.plugins ORDER BY id"),
        Sql.query(
            ds,
            "SELECT plugin_id, version, sha256, length(bytes) AS size FROM cas.plugin_packages"
                + " ORDER BY plugin_id, version"),
        Sql.query(
            ds,
            "SELECT plugin_id, file_name, sha256 FROM cas.plugin_migrations ORDER BY plugin_id, file_name"),
        Sql.query(
            ds,
            "SELECT plugin_id, kind, step FROM cas.plugin_operations WHERE state = 'running' ORDER BY 1"),
        Sql.query(ds, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'plugin_%' ORDER BY 1"),
        Sql.query(
            ds,
            "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles"
                + " WHERE rolname LIKE 'cas_%' ORDER BY 1"),
        tables,
        Sql.query(
            ds,
            "SELECT plugin_id, key, value::text, enc_value FROM cas.plugin_config ORDER BY 1, 2"),
        folders(host.dataDir.resolve("plugins"), withFolderNames),
        host.server.host().runtime().list().stream()
            .map(p -> p.id() + "@" + p.version() + ":" + p.state())
            .sorted()
            .toList());
  }

  private static List<String> folders(Path dir, boolean withNames) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> plugins = Files.list(dir)) {
      List<String> out = new ArrayList<>();
      for (Path p : plugins.sorted().toList()) {
        try (Stream<Path> versions = Files.list(p)) {
          List<String> names = versions.map(v -> v.getFileName().toString()).sorted().toList();
          out.add(p.getFileName() + (withNames ? "/" + names : " versions=" + names.size()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
