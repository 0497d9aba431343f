package dev.cas.server.http;

import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginInfo;
import dev.cas.runtime.PluginRuntime;
import dev.cas.runtime.PluginRuntimeException;
import dev.cas.runtime.RouteTable;
import dev.cas.server.HostException;
import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.Raw;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.install.PluginLoader;
import dev.cas.server.ops.RouteCalls;
import dev.cas.server.registry.PluginStore;
import dev.cas.server.security.RequestContext;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * Requests to {@code /api/plugins/<id>/…} that no host route answers go to the plugin's own routes,
 * as accounted calls of the plugin (layer 3 of docs/security.md).
 */
final class PluginRouteDispatch {

  private final PluginStore store;
  private final PluginRuntime runtime;
  private final PluginLoader loader;
  private final RouteCalls calls;

  PluginRouteDispatch(
      PluginStore store, PluginRuntime runtime, PluginLoader loader, RouteCalls calls) {
    this.store = store;
    this.runtime = runtime;
    this.loader = loader;
    this.calls = calls;
  }

  /** A plugin's own route: 404 unknown plugin or route, 503 when the plugin is not active. */
  Reply pluginRoute(Call c) throws Exception {
    String id = c.param("id");
    java.util.Optional<PluginInfo> loaded = runtime.find(id);
    // The registry is asked only when the runtime does not answer for the plugin: a plugin the
    // runtime runs is registered unless its first install is still under way (no query per call).
    boolean installed = loaded.isPresent() ? loader.registeredIfLoaded(id) : store.isInstalled(id);
    if (!installed) {
      throw new HostException(
          HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed");
    }
    PluginInfo info =
        loaded.orElseThrow(
            () ->
                new HostException(
                    HostException.Reason.PLUGIN_INACTIVE,
                    "plugin ["
                        + id
                        + "] failed to load ("
                        + loader.loadFailure(id).orElse("not loaded")
                        + "); its routes answer when it is active"));
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
        runtime
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
            c.method(),
            rest,
            match.pathParams(),
            c.query(),
            withoutCredentials(c.headers()),
            body,
            c.user());
    try {
      // An accounted call of the plugin: deadline, concurrency limit, budgets (layer 3).
      // It runs on the plugin's call thread: the request's context goes with it.
      RouteTable.Match carried =
          new RouteTable.Match(
              match.pluginId(),
              // Its log lines are the plugin's, whatever logger it uses: the runtime attributes
              // every call it runs (PluginLogs.attribution()).
              RequestContext.carriedTo(match.handler()),
              match.pathParams(),
              match.loader(),
              match.template());
      HttpRoutes.Response r = call(carried, request);
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

  /** Request headers that carry the caller's credentials, lowercase. */
  private static final java.util.Set<String> CREDENTIAL_HEADERS =
      java.util.Set.of("authorization", "proxy-authorization", "cookie", "x-csrf-token");

  /**
   * Threat: a plugin reading its caller's bearer token, session cookie or CSRF token from the
   * request and acting as that user (an admin's, say) through the API. A route gets the caller as
   * {@code user}, never the credentials.
   */
  static Map<String, String> withoutCredentials(Map<String, String> headers) {
    Map<String, String> kept = new java.util.LinkedHashMap<>(headers);
    kept.keySet().removeIf(name -> CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
    return kept;
  }

  /** The call, counted with its outcome and latency under the route's template. */
  private HttpRoutes.Response call(RouteTable.Match match, HttpRoutes.Request request) {
    long start = System.nanoTime();
    RouteCalls.Outcome outcome = RouteCalls.Outcome.ERROR;
    try {
      HttpRoutes.Response r = runtime.callRoute(match, request);
      outcome = r.status() >= 500 ? RouteCalls.Outcome.ERROR : RouteCalls.Outcome.OK;
      return r;
    } catch (PluginRuntimeException e) {
      outcome =
          switch (e.reason()) {
            case CALL_REJECTED -> RouteCalls.Outcome.REJECTED;
            case CALL_DEADLINE -> RouteCalls.Outcome.TIMEOUT;
            default -> RouteCalls.Outcome.ERROR;
          };
      throw e;
    } finally {
      calls.ended(
          match.pluginId(), request.method(), match.template(), outcome, System.nanoTime() - start);
    }
  }
}
