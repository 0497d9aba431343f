package dev.cas.server;

import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.UserInfo;
import java.util.Optional;

/** Who makes the current request and from where, for the audit trail. Set by the API layer. */
final class RequestContext {

  private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

  final Optional<UserInfo> user;
  final String remote;

  private RequestContext(Optional<UserInfo> user, String remote) {
    this.user = user;
    this.remote = remote;
  }

  static void set(Optional<UserInfo> user, String remote) {
    CURRENT.set(new RequestContext(user, remote));
  }

  static void clear() {
    CURRENT.remove();
  }

  static String actor() {
    RequestContext c = CURRENT.get();
    return c == null ? "system" : c.who();
  }

  /** The current request's context, or null outside a request (kept for later auditing). */
  static RequestContext current() {
    return CURRENT.get();
  }

  /**
   * The handler, run with this thread's request context on whatever thread calls it: plugin routes
   * run on the plugin's own call threads (layer 3), and what such a call causes (a sandbox denial,
   * an audit entry) must still name the user it served.
   */
  static HttpRoutes.Handler carriedTo(HttpRoutes.Handler handler) {
    RequestContext context = CURRENT.get();
    if (context == null) {
      return handler;
    }
    return request -> {
      RequestContext before = CURRENT.get();
      CURRENT.set(context);
      try {
        return handler.handle(request);
      } finally {
        if (before == null) {
          CURRENT.remove();
        } else {
          CURRENT.set(before);
        }
      }
    };
  }

  String who() {
    return user.isPresent() ? user.get().username() : "anonymous";
  }

  static String remote() {
    RequestContext c = CURRENT.get();
    return c == null ? "local" : c.remote;
  }
}
