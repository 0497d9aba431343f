package dev.cas.runtime;

import dev.cas.plugin.api.HttpRoutes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP routes of every plugin, as the server dispatches {@code /api/plugins/<id>/…}. A plugin
 * instance registers into its own {@link RouteSet}; the runtime publishes the set when the plugin
 * is ready and replaces it in one step on upgrade, so a request sees either the old routes or the
 * new ones.
 */
public final class RouteTable {

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private final Map<String, RouteSet> published = new ConcurrentHashMap<>();

  /**
   * A matched route.
   *
   * @param pluginId the plugin that owns it
   * @param handler its handler
   * @param pathParams values of its {@code {name}} segments
   * @param loader the plugin's class loader, to run the handler with
   * @param template the path as the plugin registered it ({@code /notes/{id}}): a bounded label for
   *     metrics, where the request's own path would make one series per id
   */
  public record Match(
      String pluginId,
      HttpRoutes.Handler handler,
      Map<String, String> pathParams,
      ClassLoader loader,
      String template) {}

  /** Finds the route for a request below {@code /api/plugins/<id>}. */
  public Optional<Match> match(String pluginId, String method, String path) {
    RouteSet set = published.get(pluginId);
    return set == null ? Optional.empty() : set.match(method.toUpperCase(Locale.ROOT), path);
  }

  /** Whether any route of the plugin is published. */
  public boolean hasRoutes(String pluginId) {
    RouteSet set = published.get(pluginId);
    return set != null && !set.routes.isEmpty();
  }

  void publish(String pluginId, RouteSet set) {
    published.put(pluginId, set);
  }

  void unpublish(String pluginId, RouteSet set) {
    published.remove(pluginId, set);
  }

  /** Number of published routes, for leak checks and metrics. */
  int size() {
    return published.values().stream().mapToInt(s -> s.routes.size()).sum();
  }

  /**
   * First path segments under {@code /api/plugins/<id>/} that the host answers itself (today or in
   * its next versions), so no plugin route may use them; the empty path is the host's too.
   */
  public static final java.util.SortedSet<String> RESERVED =
      java.util.Collections.unmodifiableSortedSet(
          new java.util.TreeSet<>(
              List.of(
                  "activate",
                  "config",
                  "deactivate",
                  "docs",
                  "export",
                  "health",
                  "logs",
                  "metrics",
                  "operations",
                  "status",
                  "upgrade")));

  /** The routes one plugin instance registered. */
  static final class RouteSet {
    private final String pluginId;
    private final ClassLoader loader;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    RouteSet(String pluginId, ClassLoader loader) {
      this.pluginId = pluginId;
      this.loader = loader;
    }

    void add(String method, String path, HttpRoutes.Handler handler) {
      String m = method.toUpperCase(Locale.ROOT);
      if (!METHODS.contains(m)) {
        throw new IllegalArgumentException(
            "plugin [" + pluginId + "] route method [" + method + "] is not one of " + METHODS);
      }
      if (!path.startsWith("/") || path.contains("..") || path.contains("//")) {
        throw new IllegalArgumentException(
            "plugin ["
                + pluginId
                + "] route path ["
                + path
                + "] must start with / and have no"
                + " empty or .. segments");
      }
      String[] segments = segments(path);
      // Threat: a plugin route the host's own API would answer instead (GET /config is the host's
      // configuration endpoint), silently never reached; refused at install with the reason.
      if (segments.length == 0 || RESERVED.contains(segments[0])) {
        throw new IllegalArgumentException(
            "plugin ["
                + pluginId
                + "] route "
                + m
                + " "
                + path
                + " is the host's: /api/plugins/{id}"
                + (segments.length == 0 ? "" : "/" + segments[0])
                + " belongs to the plugin API; first path segments reserved for it: "
                + RESERVED);
      }
      for (Route r : routes) {
        if (r.method.equals(m) && samePattern(r.segments, segments)) {
          throw new IllegalArgumentException(
              "plugin [" + pluginId + "] registers " + m + " " + path + " twice");
        }
      }
      routes.add(new Route(m, segments, "/" + String.join("/", segments), handler));
    }

    Optional<Match> match(String method, String path) {
      String[] actual = segments(path);
      for (Route r : routes) {
        if (!r.method.equals(method) || r.segments.length != actual.length) {
          continue;
        }
        Map<String, String> params = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < actual.length && ok; i++) {
          String s = r.segments[i];
          if (s.startsWith("{") && s.endsWith("}")) {
            params.put(s.substring(1, s.length() - 1), actual[i]);
          } else {
            ok = s.equals(actual[i]);
          }
        }
        if (ok) {
          return Optional.of(
              new Match(pluginId, r.handler, Map.copyOf(params), loader, r.template));
        }
      }
      return Optional.empty();
    }

    private static boolean samePattern(String[] a, String[] b) {
      if (a.length != b.length) {
        return false;
      }
      for (int i = 0; i < a.length; i++) {
        boolean wildA = a[i].startsWith("{");
        boolean wildB = b[i].startsWith("{");
        if (wildA != wildB || (!wildA && !a[i].equals(b[i]))) {
          return false;
        }
      }
      return true;
    }

    private static String[] segments(String path) {
      List<String> out = new ArrayList<>();
      for (String s : path.split("/")) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
      return out.toArray(String[]::new);
    }

    private record Route(
        String method, String[] segments, String template, HttpRoutes.Handler handler) {}
  }
}
