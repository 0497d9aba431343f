package dev.cas.server.http;

import dev.cas.packaging.Manifest;
import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.ConfigValidator;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginUsage;
import dev.cas.server.HostException;
import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.FileReply;
import dev.cas.server.http.HttpApi.Json;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.http.HttpApi.Role;
import dev.cas.server.install.HostFolders;
import dev.cas.server.install.InstallParts;
import dev.cas.server.install.OperationJournal;
import dev.cas.server.install.PluginExporter;
import dev.cas.server.install.PluginInstaller;
import dev.cas.server.install.PluginUninstaller;
import dev.cas.server.registry.ConfigStore;
import dev.cas.server.registry.PluginRecord;
import dev.cas.server.security.HostSandbox;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plugin administration: list, detail, status, import, export, activate, deactivate, uninstall,
 * configuration ({@code /api/plugins…}). Parses requests and shapes replies; the work is the
 * installer's, the exporter's, the runtime's and the stores'.
 */
final class PluginAdminEndpoints {

  private final InstallParts parts;
  private final HostSandbox sandbox;
  private final PluginInstaller installer;
  private final PluginUninstaller uninstaller;
  private final OperationJournal journal;
  private final PluginExporter exporter;

  PluginAdminEndpoints(
      InstallParts parts,
      HostSandbox sandbox,
      PluginInstaller installer,
      PluginUninstaller uninstaller,
      OperationJournal journal,
      PluginExporter exporter) {
    this.parts = parts;
    this.sandbox = sandbox;
    this.installer = installer;
    this.uninstaller = uninstaller;
    this.journal = journal;
    this.exporter = exporter;
  }

  HttpApi routes(HttpApi api) {
    return api.route(
            "GET",
            "/api/plugins",
            Role.USER,
            c -> new Json(200, parts.store().all().stream().map(this::summary).toList(), null))
        .route("POST", "/api/plugins/import", Role.ADMIN, this::importPlugin)
        .route(
            "GET", "/api/plugins/{id}", Role.USER, c -> new Json(200, detail(c.param("id")), null))
        .route("GET", "/api/plugins/{id}/status", Role.USER, this::status)
        .route("GET", "/api/plugins/{id}/export", Role.ADMIN, this::export)
        .route("POST", "/api/plugins/{id}/activate", Role.OPERATOR, this::activate)
        .route("POST", "/api/plugins/{id}/deactivate", Role.OPERATOR, this::deactivate)
        .route("DELETE", "/api/plugins/{id}", Role.ADMIN, this::uninstall)
        .route("GET", "/api/plugins/{id}/config", Role.OPERATOR, this::getConfig)
        .route("PUT", "/api/plugins/{id}/config", Role.OPERATOR, this::putConfig);
  }

  private Reply importPlugin(Call c) throws Exception {
    Path work = parts.folders().tempDir();
    try {
      Path zip =
          ImportBodies.toPackage(
              c.raw(), Optional.ofNullable(c.headers().get("content-type")), work);
      if (c.flag("dryRun")) {
        // A preview changes nothing, so it leaves no audit entry either; its refusal is the
        // import's own, answered the same way.
        Map<String, Object> preview = installer.preview(zip, c.flag("upgrade"), c.flag("force"));
        return new Json(
            200,
            preview,
            "dry run: nothing was changed; the import would " + preview.get("outcome"));
      }
      PluginInstaller.Result r = installer.importPackage(zip, c.flag("upgrade"), c.flag("force"));
      Map<String, Object> data = new LinkedHashMap<>(detail(r.info().id()));
      data.put("outcome", r.outcome());
      data.put("warnings", r.warnings());
      return new Json(
          r.outcome().equals("unchanged") ? 200 : 201,
          data,
          "plugin [" + r.info().id() + "] " + r.info().version() + " " + r.outcome());
    } catch (RuntimeException e) {
      if (!c.flag("dryRun")) {
        parts
            .audit()
            .byCaller("import", null, "refused", ApiErrors.of(e).code() + ": " + e.getMessage());
      }
      throw e;
    } finally {
      HostFolders.deleteTree(work);
    }
  }

  private Reply export(Call c) throws Exception {
    String id = known(c.param("id"));
    List<String> users = c.queryParam("users").map(u -> List.of(u.split(","))).orElse(List.of());
    PluginExporter.Export e =
        exporter.export(id, c.flag("includeData"), users, c.flag("reproducible"));
    parts
        .audit()
        .byCaller(
            "export",
            id,
            "ok",
            c.flag("includeData")
                ? "with data" + (users.isEmpty() ? "" : " of " + users)
                : "no data (configuration only)");
    return new FileReply(e.file(), "application/zip", e.fileName());
  }

  /**
   * Holds the plugin's operation lock while {@code action} runs: an activation or deactivation
   * neither interleaves with an install, upgrade or uninstall of the plugin nor with a restart by
   * the health monitor (which would otherwise start again a plugin an operator just stopped).
   */
  private Reply holding(String id, java.util.function.Supplier<Reply> action) {
    try (OperationJournal.Hold held =
        journal
            .tryHold(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.OPERATION_IN_PROGRESS,
                        "another operation on plugin ["
                            + id
                            + "] is running; try again when it ends"))) {
      return action.get();
    }
  }

  private Reply activate(Call c) {
    String id = known(c.param("id"));
    return holding(id, () -> activate(id));
  }

  private Reply activate(String id) {
    Manifest m = parts.loader().manifestOf(id);
    List<String> problems = ConfigValidator.problems(m, parts.configStore().values(id));
    if (!problems.isEmpty()) {
      throw new HostException(
          HostException.Reason.CONFIG_INVALID,
          "plugin ["
              + id
              + "] cannot be activated until its configuration is valid: "
              + String.join("; ", problems));
    }
    PluginInfo info =
        parts.runtime().find(id).isPresent()
            ? parts.runtime().activate(id)
            : parts.loader().reload(id);
    parts.store().setDesiredState(id, Manifest.DesiredStatus.ACTIVE);
    parts.audit().byCaller("activate", id, "ok", null);
    return new Json(200, detail(info.id()), "plugin [" + id + "] is active");
  }

  private Reply deactivate(Call c) {
    String id = known(c.param("id"));
    return holding(id, () -> deactivate(id, c.flag("force")));
  }

  private Reply deactivate(String id, boolean force) {
    List<String> stopped = parts.runtime().deactivate(id, force);
    stopped.forEach(s -> parts.store().setDesiredState(s, Manifest.DesiredStatus.INACTIVE));
    parts
        .audit()
        .byCaller("deactivate", id, "ok", stopped.size() > 1 ? "cascaded to " + stopped : null);
    return new Json(200, Map.of("deactivated", stopped), "deactivated " + stopped);
  }

  private Reply uninstall(Call c) {
    String id = known(c.param("id"));
    List<String> removed = uninstaller.uninstall(id, c.flag("purgeData"), c.flag("force"));
    return new Json(
        200,
        Map.of("removed", removed, "dataPurged", c.flag("purgeData")),
        "uninstalled " + removed);
  }

  private Reply status(Call c) {
    String id = known(c.param("id"));
    Optional<PluginInfo> loaded = parts.runtime().find(id);
    if (loaded.isEmpty()) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("id", id);
      data.put("version", parts.store().find(id).orElseThrow().version());
      data.put("state", "failed");
      data.put("failure", parts.loader().loadFailure(id).orElse("not loaded"));
      data.put("healthy", false);
      data.put("health", "not loaded");
      data.put("routes", false);
      data.put("sandbox", sandbox.status(id));
      return new Json(200, data, null);
    }
    PluginInfo info = loaded.get();
    HealthStatus health = parts.runtime().health(id);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", id);
    data.put("version", info.version());
    data.put("state", info.state().name().toLowerCase(java.util.Locale.ROOT));
    data.put("failure", info.failure().orElse(null));
    data.put("healthy", health.up());
    data.put("health", health.detail());
    data.put("routes", parts.runtime().routes().hasRoutes(id));
    data.put("sandbox", sandbox.status(id));
    parts.runtime().usage(id).ifPresent(u -> data.put("usage", usageJson(u)));
    return new Json(200, data, null);
  }

  /** The status's {@code usage} object: what the plugin's calls used, and its limits (layer 3). */
  private static Map<String, Object> usageJson(PluginUsage u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("calls", u.calls());
    m.put("errors", u.errors());
    m.put("timeouts", u.timeouts());
    m.put("overBudget", u.overBudget());
    m.put("rejected", u.rejected());
    m.put("inFlight", u.inFlight());
    m.put("cpuMillis", u.cpuNanos() / 1_000_000);
    m.put("allocatedBytes", u.allocatedBytes());
    m.put("wallMillis", u.wallNanos() / 1_000_000);
    m.put("strikes", u.strikes());
    Map<String, Object> pool = new LinkedHashMap<>();
    pool.put("tasks", u.poolTasks());
    pool.put("cancelled", u.poolCancelled());
    pool.put("stopped", u.poolStopped());
    pool.put("cpuMillis", u.poolCpuNanos() / 1_000_000);
    pool.put("allocatedBytes", u.poolAllocatedBytes());
    m.put("pool", pool);
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("routeDeadlineMillis", u.routeDeadline().toMillis());
    limits.put("maxConcurrentCalls", u.maxConcurrentCalls());
    limits.put(
        "cpuMillisPerCall",
        u.cpuNanosPerCall().isPresent() ? u.cpuNanosPerCall().getAsLong() / 1_000_000 : null);
    limits.put("bytesPerCall", u.bytesPerCall().isPresent() ? u.bytesPerCall().getAsLong() : null);
    m.put("limits", limits);
    return m;
  }

  private Reply getConfig(Call c) {
    String id = known(c.param("id"));
    Manifest m = parts.loader().manifestOf(id);
    Map<String, Object> values = parts.configStore().values(id);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("values", ConfigStore.publicValues(m, ConfigValidator.withDefaults(m, values)));
    data.put("secretsSet", ConfigStore.secretKeysSet(m, values));
    data.put("schema", m.configSchema());
    return new Json(200, data, null);
  }

  @SuppressWarnings("unchecked")
  private Reply putConfig(Call c) throws Exception {
    String id = known(c.param("id"));
    Manifest m = parts.loader().manifestOf(id);
    Map<String, Object> incoming = HttpApi.JSON.readValue(c.bodyBytes(), Map.class);
    Map<String, Object> values = new LinkedHashMap<>(parts.configStore().values(id));
    // A secret left out keeps its stored value: clients never see secrets, so they cannot resend
    // them.
    incoming.forEach(
        (k, v) -> {
          if (v == null) {
            values.remove(k);
          } else {
            values.put(k, v);
          }
        });
    List<String> problems = ConfigValidator.problems(m, values);
    if (!problems.isEmpty()) {
      throw new HostException(
          HostException.Reason.CONFIG_INVALID,
          "invalid configuration for plugin [" + id + "]: " + String.join("; ", problems));
    }
    parts.configStore().replace(m, values);
    parts.runtime().configure(id, values);
    parts.audit().byCaller("config.update", id, "ok", "keys " + incoming.keySet());
    return getConfig(c);
  }

  String known(String id) {
    if (!parts.store().isInstalled(id)) {
      throw new HostException(
          HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed");
    }
    return id;
  }

  /**
   * A registered plugin as the API lists it: the registry's record joined with the runtime's state;
   * one the runtime could not load is {@code failed} with the reason.
   */
  private Map<String, Object> summary(PluginRecord rec) {
    Optional<PluginInfo> loaded = parts.runtime().find(rec.id());
    Manifest manifest = loaded.map(PluginInfo::manifest).orElseGet(rec::manifest);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", rec.id());
    m.put("name", manifest.name());
    m.put("version", rec.version());
    m.put(
        "state",
        loaded.map(p -> p.state().name().toLowerCase(java.util.Locale.ROOT)).orElse("failed"));
    m.put(
        "failure",
        loaded.isPresent()
            ? loaded.get().failure().orElse(null)
            : parts.loader().loadFailure(rec.id()).orElse("not loaded"));
    m.put("description", manifest.description());
    m.put("isSystem", rec.system());
    m.put("desiredState", rec.desired().id());
    m.put("signer", signer(rec));
    m.put("sandboxDenials", sandbox.status(rec.id()).get("denials"));
    // The admin page's navigation: an active plugin's pages (docs/FORMAT.md, "Frontend").
    boolean active = loaded.map(p -> p.state() == PluginState.ACTIVE).orElse(false);
    m.put("pages", active ? manifest.frontend().routes() : List.of());
    return m;
  }

  /**
   * Who vouches for the installed package: {@code trusted} (verified with a key of the trust
   * store), {@code untrusted} (signed, but the host's policy did not check it) or {@code unsigned}.
   */
  private Map<String, Object> signer(PluginRecord rec) {
    Map<String, Object> s = new LinkedHashMap<>();
    boolean signed = parts.loader().loadedPackage(rec.id()).map(p -> p.signed()).orElse(false);
    s.put("status", rec.signerKeyId().isPresent() ? "trusted" : signed ? "untrusted" : "unsigned");
    s.put("keyId", rec.signerKeyId().orElse(null));
    return s;
  }

  private Map<String, Object> detail(String id) {
    PluginRecord rec =
        parts
            .store()
            .find(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed"));
    Map<String, Object> m = summary(rec);
    Optional<PluginInfo> loaded = parts.runtime().find(id);
    m.put("manifest", loaded.map(PluginInfo::manifest).orElseGet(rec::manifest));
    m.put("dependents", loaded.map(PluginInfo::dependents).orElse(List.of()));
    m.put("signerKeyId", rec.signerKeyId().orElse(null));
    m.put("installedAt", rec.installedAt().toString());
    m.put("operations", journal.history(id, 5));
    return m;
  }
}
