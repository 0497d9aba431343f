package dev.cas.server;

import dev.cas.packaging.ChecksumFile;
import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.SecurityScanner;
import dev.cas.plugin.api.HealthStatus;
import dev.cas.runtime.ConfigValidator;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.semver4j.Semver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Import, upgrade and removal of plugins, each all or nothing. Import runs: read safely (checksums,
 * signature policy, manifest) → compatibility → version rules → table ownership → files in place →
 * role, schema, migrations, row-level security → data → runtime install (load, initialize,
 * activate) → health check → registry. Every step that changed something pushes its undo; a failure
 * runs the undos in reverse, so the host is exactly as before, and rethrows.
 */
final class PluginInstaller {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Host host;

  PluginInstaller(Host host) {
    this.host = host;
  }

  /**
   * What an import did.
   *
   * @param info the plugin now
   * @param outcome installed, upgraded or unchanged
   * @param warnings what the reader noticed
   */
  record Result(PluginInfo info, String outcome, List<String> warnings) {}

  Result importPackage(Path zip, boolean upgrade, boolean force) {
    Path work = host.tempDir();
    Deque<Runnable> undo = new ArrayDeque<>();
    undo.push(() -> deleteTree(work));
    try {
      PluginPackage read = PackageReader.create(host.readOptions()).read(zip, work.resolve("pkg"));
      Manifest m = read.manifest();
      SecurityScanner.scan(read).requireBelow(host.config().securityThreshold(), false);
      CompatibilityChecker.Host h = CompatibilityChecker.Host.current();
      CompatibilityChecker.requireCompatible(
          m,
          new CompatibilityChecker.Host(
              h.casVersion(), h.javaFeature(), h.apiModules(), activeVersions()));
      Optional<Map<String, Object>> existing = host.store().row(m.id());
      if (existing.isPresent()) {
        String installed = (String) existing.get().get("version");
        int cmp = Semver.parse(m.version()).compareTo(Semver.parse(installed));
        if (cmp == 0) {
          runAll(undo);
          return new Result(
              host.runtime().find(m.id()).orElseThrow(),
              "unchanged",
              List.of(
                  "plugin ["
                      + m.id()
                      + "] version "
                      + installed
                      + " is installed already; nothing changed"));
        }
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
        if (!upgrade && !force) {
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
              row -> {
                throw new HostException(
                    HostException.Reason.TABLE_CONFLICT,
                    "table ["
                        + row.get("table_name")
                        + "] declared by plugin ["
                        + m.id()
                        + "] belongs to plugin ["
                        + row.get("plugin_id")
                        + "]");
              });
      PluginPackage pkg = moveInPlace(read, undo);
      List<String> applied = prepareDatabase(pkg, existing.isPresent(), undo);
      Map<String, Object> config = initialConfig(pkg, existing.isPresent());
      List<String> warnings = new ArrayList<>(read.warnings());
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
      Manifest registered = pkg.manifest();
      Map<String, Object> previousConfig = host.configStore().values(m.id());
      host.configStore().replace(m, config);
      undo.push(() -> host.configStore().replace(m, previousConfig));
      PluginPackage installed = pkg;
      PluginInfo info = startInRuntime(installed, existing, force, undo);
      checkHealth(info);
      byte[] bytes = Files.readAllBytes(zip);
      Sql.inTransaction(
          host.db().admin(),
          c -> {
            host.store()
                .save(
                    c,
                    registered,
                    manifestJson(installed),
                    host.databases().roleOf(m),
                    read.signerKeyId(),
                    bytes,
                    ChecksumFile.sha256(bytes),
                    docsOf(installed));
            return null;
          });
      if (existing.isPresent()) {
        host.deleteOldVersions(m.id(), installed.root());
      }
      deleteTree(work);
      host.audit(
          "import",
          m.id(),
          "ok",
          m.version() + (applied.isEmpty() ? "" : " migrations " + applied));
      return new Result(info, existing.isPresent() ? "upgraded" : "installed", warnings);
    } catch (IOException e) {
      runAll(undo);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      runAll(undo, e);
      throw e;
    }
  }

  private Map<String, String> activeVersions() {
    Map<String, String> out = new LinkedHashMap<>();
    host.runtime().list().stream()
        .filter(p -> p.state() == dev.cas.plugin.api.PluginState.ACTIVE)
        .forEach(p -> out.put(p.id(), p.version()));
    return out;
  }

  private PluginPackage moveInPlace(PluginPackage read, Deque<Runnable> undo) throws IOException {
    Manifest m = read.manifest();
    Path target =
        host.pluginsDir()
            .resolve(m.id())
            .resolve(m.version() + "-" + UUID.randomUUID().toString().substring(0, 8));
    boolean firstVersion = !Files.exists(target.getParent());
    Files.createDirectories(target.getParent());
    Files.move(read.root(), target);
    undo.push(() -> deleteTree(firstVersion ? target.getParent() : target));
    return new PluginPackage(
        target.toRealPath(),
        m,
        read.metadata(),
        read.files(),
        read.signerKeyId(),
        read.signed(),
        read.warnings());
  }

  private List<String> prepareDatabase(PluginPackage pkg, boolean upgrade, Deque<Runnable> undo) {
    Manifest m = pkg.manifest();
    PluginDatabases dbs = host.databases();
    boolean hadSchema = dbs.schemaExists(m);
    dbs.ensureRoleAndSchema(m);
    if (!hadSchema) {
      undo.push(() -> dbs.purge(m));
    } else if (!upgrade) {
      undo.push(() -> dbs.closePool(m.id()));
    }
    List<String> applied = dbs.migrate(pkg);
    if (hadSchema) {
      undo.push(() -> dbs.rollback(pkg, applied));
    }
    List<String> undeclared = dbs.undeclaredTables(m);
    if (!undeclared.isEmpty()) {
      throw new HostException(
          HostException.Reason.UNDECLARED_TABLE,
          "migrations of plugin ["
              + m.id()
              + "] created tables "
              + undeclared
              + " that database.tables does not declare");
    }
    dbs.enableUserIsolation(m);
    if (!hadSchema) {
      importRecords(pkg);
    }
    return applied;
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

  private PluginInfo startInRuntime(
      PluginPackage pkg,
      Optional<Map<String, Object>> existing,
      boolean force,
      Deque<Runnable> undo) {
    PluginRuntime runtime = host.runtime();
    String id = pkg.manifest().id();
    if (existing.isEmpty()) {
      PluginInfo info = runtime.install(pkg);
      undo.push(() -> runtime.uninstall(id, true));
      return info;
    }
    Optional<PluginPackage> previous = host.loadedPackage(id);
    PluginInfo info = runtime.upgrade(pkg, force);
    previous.ifPresent(old -> undo.push(() -> runtime.upgrade(old, true)));
    return info;
  }

  private void checkHealth(PluginInfo info) {
    if (info.state() != dev.cas.plugin.api.PluginState.ACTIVE) {
      return;
    }
    HealthStatus health = host.runtime().health(info.id());
    if (!health.up()) {
      throw new HostException(
          HostException.Reason.UNHEALTHY,
          "plugin [" + info.id() + "] started but its health check failed: " + health.detail());
    }
  }

  /**
   * Removes a plugin; with purge, its migrations are rolled back and its schema and role dropped.
   */
  List<String> uninstall(String id, boolean purge, boolean force) {
    Map<String, Object> row =
        host.store()
            .row(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed"));
    if (Boolean.TRUE.equals(row.get("is_system"))) {
      throw new HostException(
          HostException.Reason.SYSTEM_PLUGIN,
          "plugin [" + id + "] is a system plugin and cannot be uninstalled");
    }
    Optional<PluginPackage> pkg = host.loadedPackage(id);
    List<String> removed =
        host.runtime().find(id).isPresent() ? host.runtime().uninstall(id, force) : List.of(id);
    for (String rid : removed) {
      Manifest m = host.manifestOf(rid);
      if (purge && rid.equals(id) && pkg.isPresent()) {
        host.databases()
            .rollback(
                pkg.get(),
                new ArrayList<>(
                    m.database().migrations().stream()
                        .filter(f -> host.databases().applied(rid).containsKey(f))
                        .toList()));
        host.databases().purge(m);
      } else {
        host.databases().closePool(rid);
      }
      Sql.inTransaction(
          host.db().admin(),
          c -> {
            host.store().delete(c, rid);
            return null;
          });
      deleteTree(host.pluginsDir().resolve(rid));
      host.audit("uninstall", rid, "ok", purge && rid.equals(id) ? "data purged" : "data kept");
    }
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

  private static void runAll(Deque<Runnable> undo) {
    runAll(undo, null);
  }

  /** Runs every undo even when one fails; failures are attached to the original error. */
  private static void runAll(Deque<Runnable> undo, RuntimeException cause) {
    while (!undo.isEmpty()) {
      try {
        undo.pop().run();
      } catch (RuntimeException e) {
        if (cause != null) {
          cause.addSuppressed(e);
        }
      }
    }
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
