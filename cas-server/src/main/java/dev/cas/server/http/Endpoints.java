package dev.cas.server.http;

import dev.cas.server.http.HttpApi.Raw;
import dev.cas.server.http.HttpApi.Role;
import dev.cas.server.install.InstallParts;
import dev.cas.server.install.OperationJournal;
import dev.cas.server.install.PluginExporter;
import dev.cas.server.install.PluginInstaller;
import dev.cas.server.install.PluginUninstaller;
import dev.cas.server.logs.PluginLogs;
import dev.cas.server.ops.HostHealth;
import dev.cas.server.ops.RouteCalls;
import dev.cas.server.security.HostSandbox;
import dev.cas.server.security.SessionStore;
import dev.cas.server.security.SignInLimiter;
import dev.cas.server.security.UserStore;
import dev.cas.server.services.ServerHostServices;
import java.util.Map;

/**
 * The REST API's routing table: each resource's endpoints add their routes; requests no host route
 * answers go to the plugins' own routes.
 */
public final class Endpoints {

  private final UserStore users;
  private final SessionStore sessions;
  private final SignInLimiter signIns;
  private final ServerHostServices services;
  private final InstallParts parts;
  private final HostSandbox sandbox;
  private final PluginInstaller installer;
  private final PluginUninstaller uninstaller;
  private final OperationJournal journal;
  private final PluginExporter exporter;
  private final PluginLogs logs;
  private final HostHealth health;
  private final RouteCalls calls;

  /**
   * @param users accounts, roles and tokens
   * @param sessions browser sessions
   * @param signIns the failed sign-ins counted for the rate limit
   * @param services the host services plugins use (the capabilities list)
   * @param parts the registry, runtime, stores and audit trail the plugin endpoints act on
   * @param sandbox sandbox status per plugin
   * @param installer import and upgrade
   * @param uninstaller uninstall
   * @param journal the history of operations per plugin
   * @param exporter export
   * @param logs the plugins' recent log lines
   * @param health what {@code GET /api/health} answers
   * @param calls where the end of each plugin route call is reported (metrics, alerts)
   */
  public Endpoints(
      UserStore users,
      SessionStore sessions,
      SignInLimiter signIns,
      ServerHostServices services,
      InstallParts parts,
      HostSandbox sandbox,
      PluginInstaller installer,
      PluginUninstaller uninstaller,
      OperationJournal journal,
      PluginExporter exporter,
      PluginLogs logs,
      HostHealth health,
      RouteCalls calls) {
    this.users = users;
    this.sessions = sessions;
    this.signIns = signIns;
    this.services = services;
    this.parts = parts;
    this.sandbox = sandbox;
    this.installer = installer;
    this.uninstaller = uninstaller;
    this.journal = journal;
    this.exporter = exporter;
    this.logs = logs;
    this.health = health;
    this.calls = calls;
  }

  public HttpApi api() {
    PluginAdminEndpoints plugins =
        new PluginAdminEndpoints(parts, sandbox, installer, uninstaller, journal, exporter);
    DocsEndpoints docs =
        new DocsEndpoints(parts.store(), parts.loader(), parts.audit(), plugins::known);
    HttpApi api =
        new HttpApi(users, sessions)
            .route(
                "GET",
                "/api/openapi.json",
                Role.PUBLIC,
                c -> new Raw(200, "application/json", OpenApi.document(), Map.of()));
    api = new HealthEndpoints(health).routes(api);
    api = new AuthEndpoints(users, sessions, signIns, services, parts.audit()).routes(api);
    api = new SessionEndpoints(users, sessions, parts.audit()).routes(api);
    api = plugins.routes(api);
    api = docs.routes(api);
    api = new LogEndpoints(logs, plugins::known).routes(api);
    api = new EventStreamEndpoints(parts.runtime().events()).routes(api);
    api = new AdminEndpoints(users, parts.audit()).routes(api);
    return api.fallback(
        new PluginRouteDispatch(parts.store(), parts.runtime(), parts.loader(), calls)
            ::pluginRoute);
  }
}
