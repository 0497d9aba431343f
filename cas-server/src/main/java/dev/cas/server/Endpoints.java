package dev.cas.server;

import dev.cas.packaging.Manifest;
import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.ConfigValidator;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntimeException;
import dev.cas.runtime.PluginUsage;
import dev.cas.runtime.RouteTable;
import dev.cas.server.HttpApi.Call;
import dev.cas.server.HttpApi.FileReply;
import dev.cas.server.HttpApi.Json;
import dev.cas.server.HttpApi.Raw;
import dev.cas.server.HttpApi.Reply;
import dev.cas.server.HttpApi.Role;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The actions behind the REST API's routes. */
final class Endpoints {

  private final Host host;
  private final PluginExporter exporter;
  private final DocsEndpoints docs;

  Endpoints(Host host) {
    this.host = host;
    this.exporter = new PluginExporter(host);
    this.docs = new DocsEndpoints(host, this::known);
  }

  HttpApi api() {
    return new HttpApi(host.users())
        .route("POST", "/api/auth/login", Role.PUBLIC, this::login)
        .route("POST", "/api/auth/tokens", Role.USER, this::newToken)
        .route("GET", "/api/auth/me", Role.USER, c -> new Json(200, c.user().orElseThrow(), null))
        .route(
            "GET",
            "/api/openapi.json",
            Role.PUBLIC,
            c -> new Raw(200, "application/json", OpenApi.document(), Map.of()))
        .route("GET", "/api/health", Role.PUBLIC, c -> new Json(200, Map.of("status", "up"), null))
        .route(
            "GET",
            "/api/plugins",
            Role.USER,
            c -> new Json(200, host.store().all().stream().map(this::summary).toList(), null))
        .route("POST", "/api/plugins/import", Role.ADMIN, this::importPlugin)
        .route(
            "GET", "/api/plugins/{id}", Role.USER, c -> new Json(200, detail(c.param("id")), null))
        .route("GET", "/api/plugins/{id}/status", Role.USER, this::status)
        .route("GET", "/api/plugins/{id}/export", Role.ADMIN, this::export)
        .route("POST", "/api/plugins/{id}/activate", Role.OPERATOR, this::activate)
        .route("POST", "/api/plugins/{id}/deactivate", Role.OPERATOR, this::deactivate)
        .route("DELETE", "/api/plugins/{id}", Role.ADMIN, this::uninstall)
        .route("GET", "/api/plugins/{id}/config", Role.OPERATOR, this::getConfig)
        .route("PUT", "/api/plugins/{id}/config", Role.OPERATOR, this::putConfig)
        .route(
            "GET",
            "/api/plugins/{id}/docs",
            Role.USER,
            c -> new Json(200, host.store().docs(known(c.param("id"))), null))
        .route("GET", "/api/plugins/{id}/docs/{docId}", Role.USER, docs::get)
        .route("POST", "/api/plugins/{id}/docs", Role.ADMIN, docs::add)
        .route("PUT", "/api/plugins/{id}/docs/{docId}", Role.ADMIN, docs::update)
        .route("DELETE", "/api/plugins/{id}/docs/{docId}", Role.ADMIN, docs::delete)
        .route("GET", "/api/audit", Role.ADMIN, this::audit)
        .route("GET", "/api/users", Role.ADMIN, c -> new Json(200, host.users().list(), null))
        .route("POST", "/api/users", Role.ADMIN, this::createUser)
        .fallback(this::pluginRoute);
  }

  private Reply login(Call c) throws Exception {
    JsonNode body = HttpApi.JSON.readTree(c.bodyBytes());
    String username = text(body, "username");
    char[] password = text(body, "password").toCharArray();
    var user =
        host.users()
            .checkPassword(username, password)
            .or(() -> host.services().authenticateWithProviders(username, password));
    if (user.isEmpty()) {
      RequestContext.set(Optional.empty(), c.remote());
      host.audit("login", username, "denied", null);
      throw new HostException(HostException.Reason.UNAUTHENTICATED, "wrong username or password");
    }
    String token = host.users().issueToken(user.get().id(), "login", Duration.ofHours(12));
    RequestContext.set(user, c.remote());
    host.audit("login", username, "ok", null);
    return new Json(200, Map.of("token", token, "user", user.get()), "logged in");
  }

  private Reply newToken(Call c) throws Exception {
    JsonNode body = HttpApi.JSON.readTree(c.bodyBytes());
    String name = body.has("name") ? body.get("name").asString() : "api";
    String token = host.users().issueToken(c.user().orElseThrow().id(), name, null);
    host.audit("token.create", c.user().get().username(), "ok", name);
    return new Json(201, Map.of("token", token, "name", name), "keep the token: it is shown once");
  }

  private Reply importPlugin(Call c) throws Exception {
    Path work = host.tempDir();
    try {
      Path zip =
          ImportBodies.toPackage(
              c.raw(), Optional.ofNullable(c.headers().get("content-type")), work);
      PluginInstaller.Result r =
          host.installer().importPackage(zip, c.flag("upgrade"), c.flag("force"));
      Map<String, Object> data = new LinkedHashMap<>(detail(r.info().id()));
      data.put("outcome", r.outcome());
      data.put("warnings", r.warnings());
      return new Json(
          r.outcome().equals("unchanged") ? 200 : 201,
          data,
          "plugin [" + r.info().id() + "] " + r.info().version() + " " + r.outcome());
    } catch (RuntimeException e) {
      host.audit("import", null, "refused", ApiErrors.of(e).code() + ": " + e.getMessage());
      throw e;
    } finally {
      PluginInstaller.deleteTree(work);
    }
  }

  private Reply export(Call c) throws Exception {
    String id = known(c.param("id"));
    List<String> users = c.queryParam("users").map(u -> List.of(u.split(","))).orElse(List.of());
    PluginExporter.Export e =
        exporter.export(id, c.flag("includeData"), users, c.flag("reproducible"));
    host.audit(
        "export",
        id,
        "ok",
        c.flag("includeData")
            ? "with data" + (users.isEmpty() ? "" : " of " + users)
            : "no data (configuration only)");
    return new FileReply(e.file(), "application/zip", e.fileName());
  }

  private Reply activate(Call c) {
    String id = known(c.param("id"));
    Manifest m = host.manifestOf(id);
    List<String> problems = ConfigValidator.problems(m, host.configStore().values(id));
    if (!problems.isEmpty()) {
      throw new HostException(
          HostException.Reason.CONFIG_INVALID,
          "plugin ["
              + id
              + "] cannot be activated until its configuration is valid: "
              + String.join("; ", problems));
    }
    PluginInfo info =
        host.runtime().find(id).isPresent() ? host.runtime().activate(id) : host.reload(id);
    host.store().setDesiredState(id, Manifest.DesiredStatus.ACTIVE);
    host.audit("activate", id, "ok", null);
    return new Json(200, detail(info.id()), "plugin [" + id + "] is active");
  }

  private Reply deactivate(Call c) {
    String id = known(c.param("id"));
    List<String> stopped = host.runtime().deactivate(id, c.flag("force"));
    stopped.forEach(s -> host.store().setDesiredState(s, Manifest.DesiredStatus.INACTIVE));
    host.audit("deactivate", id, "ok", stopped.size() > 1 ? "cascaded to " + stopped : null);
    return new Json(200, Map.of("deactivated", stopped), "deactivated " + stopped);
  }

  private Reply uninstall(Call c) {
    String id = known(c.param("id"));
    List<String> removed = host.installer().uninstall(id, c.flag("purgeData"), c.flag("force"));
    return new Json(
        200,
        Map.of("removed", removed, "dataPurged", c.flag("purgeData")),
        "uninstalled " + removed);
  }

  private Reply status(Call c) {
    String id = known(c.param("id"));
    Optional<PluginInfo> loaded = host.runtime().find(id);
    if (loaded.isEmpty()) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("id", id);
      data.put("version", host.store().find(id).orElseThrow().version());
      data.put("state", "failed");
      data.put("failure", host.loadFailure(id).orElse("not loaded"));
      data.put("healthy", false);
      data.put("health", "not loaded");
      data.put("routes", false);
      data.put("sandbox", host.sandbox().status(id));
      return new Json(200, data, null);
    }
    PluginInfo info = loaded.get();
    HealthStatus health = host.runtime().health(id);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", id);
    data.put("version", info.version());
    data.put("state", info.state().name().toLowerCase(java.util.Locale.ROOT));
    data.put("failure", info.failure().orElse(null));
    data.put("healthy", health.up());
    data.put("health", health.detail());
    data.put("routes", host.runtime().routes().hasRoutes(id));
    data.put("sandbox", host.sandbox().status(id));
    host.runtime().usage(id).ifPresent(u -> data.put("usage", usageJson(u)));
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
    Manifest m = host.manifestOf(id);
    Map<String, Object> values = host.configStore().values(id);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("values", ConfigStore.publicValues(m, ConfigValidator.withDefaults(m, values)));
    data.put("secretsSet", ConfigStore.secretKeysSet(m, values));
    data.put("schema", m.configSchema());
    return new Json(200, data, null);
  }

  @SuppressWarnings("unchecked")
  private Reply putConfig(Call c) throws Exception {
    String id = known(c.param("id"));
    Manifest m = host.manifestOf(id);
    Map<String, Object> incoming = HttpApi.JSON.readValue(c.bodyBytes(), Map.class);
    Map<String, Object> values = new LinkedHashMap<>(host.configStore().values(id));
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
    host.configStore().replace(m, values);
    host.runtime().configure(id, values);
    host.audit("config.update", id, "ok", "keys " + incoming.keySet());
    return getConfig(c);
  }

  private Reply createUser(Call c) throws Exception {
    JsonNode b = HttpApi.JSON.readTree(c.bodyBytes());
    String username = text(b, "username");
    if (!username.matches("[a-z][a-z0-9._-]{1,63}")) {
      throw new IllegalArgumentException(
          "username ["
              + username
              + "] must be 2-64 of a-z, 0-9, '.', '_', '-', starting with a letter");
    }
    if (host.users().byUsername(username).isPresent()) {
      throw new IllegalArgumentException("user [" + username + "] exists already");
    }
    java.util.Set<String> roles = new java.util.HashSet<>();
    b.path("roles").forEach(r -> roles.add(r.asString()));
    if (roles.isEmpty()) {
      roles.add("user");
    }
    String password = text(b, "password");
    if (password.length() < 8) {
      throw new IllegalArgumentException("password must have at least 8 characters");
    }
    var user =
        host.users()
            .create(
                username,
                b.has("displayName") ? b.get("displayName").asString() : username,
                b.has("email") ? b.get("email").asString() : "",
                password.toCharArray(),
                roles,
                "local");
    host.audit("user.create", username, "ok", "roles " + roles);
    return new Json(201, user, "user [" + username + "] created");
  }

  private Reply audit(Call c) {
    int limit = c.queryParam("limit").map(Integer::parseInt).orElse(100);
    return new Json(
        200,
        host.auditLog().recent(Math.min(limit, 1000), c.queryParam("plugin").orElse(null)),
        null);
  }

  /** A plugin's own route: 404 unknown plugin or route, 503 when the plugin is not active. */
  private Reply pluginRoute(Call c) throws Exception {
    String id = c.param("id");
    PluginInfo info =
        host.runtime()
            .find(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed"));
    if (info.state() != PluginState.ACTIVE) {
      throw new HostException(
          HostException.Reason.PLUGIN_INACTIVE,
          "plugin ["
              + id
              + "] is "
              + info.state().name().toLowerCase(java.util.Locale.ROOT)
              + "; its routes answer when it is active");
    }
    String rest = c.param("rest");
    RouteTable.Match match =
        host.runtime()
            .routes()
            .match(id, c.method(), rest)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND,
                        "plugin [" + id + "] has no route " + c.method() + " " + rest));
    byte[] body;
    try (InputStream in = c.body()) {
      body = in.readAllBytes();
    }
    HttpRoutes.Request request =
        new HttpRoutes.Request(
            c.method(), rest, match.pathParams(), c.query(), c.headers(), body, c.user());
    try {
      // An accounted call of the plugin: deadline, concurrency limit, budgets (layer 3).
      // It runs on the plugin's call thread: the request's context goes with it.
      RouteTable.Match carried =
          new RouteTable.Match(
              match.pluginId(),
              RequestContext.carriedTo(match.handler()),
              match.pathParams(),
              match.loader());
      HttpRoutes.Response r = host.runtime().callRoute(carried, request);
      return new Raw(r.status(), r.contentType(), r.body(), Map.of());
    } catch (PluginRuntimeException e) {
      if (e.reason() != PluginRuntimeException.Reason.CALL_FAILED || e.getCause() == null) {
        throw e;
      }
      Throwable cause = e.getCause();
      // The details (SQL, stack) go to the host log, not to the caller.
      org.slf4j.LoggerFactory.getLogger("plugin." + id)
          .error("route {} {} failed", c.method(), rest, cause);
      throw new HostException(
          HostException.Reason.PLUGIN_FAILED,
          "plugin ["
              + id
              + "] failed on "
              + c.method()
              + " "
              + rest
              + " ("
              + cause.getClass().getSimpleName()
              + "; the host log has the details)");
    }
  }

  String known(String id) {
    if (!host.store().isInstalled(id)) {
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
    Optional<PluginInfo> loaded = host.runtime().find(rec.id());
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
            : host.loadFailure(rec.id()).orElse("not loaded"));
    m.put("description", manifest.description());
    m.put("isSystem", rec.system());
    m.put("desiredState", rec.desired().id());
    return m;
  }

  private Map<String, Object> detail(String id) {
    PluginRecord rec =
        host.store()
            .find(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed"));
    Map<String, Object> m = summary(rec);
    Optional<PluginInfo> loaded = host.runtime().find(id);
    m.put("manifest", loaded.map(PluginInfo::manifest).orElseGet(rec::manifest));
    m.put("dependents", loaded.map(PluginInfo::dependents).orElse(List.of()));
    m.put("signerKeyId", rec.signerKeyId().orElse(null));
    m.put("installedAt", rec.installedAt().toString());
    m.put("operations", host.journal().history(id, 5));
    return m;
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isString()) {
      throw new IllegalArgumentException("field [" + field + "] is required");
    }
    return v.asString();
  }
}
