package dev.cas.server;

import dev.cas.server.HttpApi.Json;
import dev.cas.server.HttpApi.Raw;
import dev.cas.server.HttpApi.Role;
import java.util.Map;

/**
 * The REST API's routing table: each resource's endpoints add their routes; requests no host route
 * answers go to the plugins' own routes.
 */
final class Endpoints {

  private final Host host;

  Endpoints(Host host) {
    this.host = host;
  }

  HttpApi api() {
    PluginAdminEndpoints plugins = new PluginAdminEndpoints(host, new PluginExporter(host));
    DocsEndpoints docs = new DocsEndpoints(host, plugins::known);
    HttpApi api =
        new HttpApi(host.users())
            .route(
                "GET",
                "/api/openapi.json",
                Role.PUBLIC,
                c -> new Raw(200, "application/json", OpenApi.document(), Map.of()))
            .route(
                "GET",
                "/api/health",
                Role.PUBLIC,
                c -> new Json(200, Map.of("status", "up"), null));
    api = new AuthEndpoints(host.users(), host.services(), host).routes(api);
    api = plugins.routes(api);
    api = docs.routes(api);
    api = new AdminEndpoints(host.users(), host.auditLog(), host).routes(api);
    return api.fallback(new PluginRouteDispatch(host)::pluginRoute);
  }
}
