package dev.cas.server.security;

import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.UserInfo;
import java.util.Optional;

/** Who makes the current request and from where, for the audit trail. Set by the API layer. */
public final class RequestContext {

  private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

  public final Optional<UserInfo> user;
  public final String remote;

  private RequestContext(Optional<UserInfo> user, String remote) {
    this.user = user;
    this.remote = remote;
  }

  public static void set(Optional<UserInfo> user, String remote) {
    CURRENT.set(new RequestContext(user, remote));
  }

  public static void clear() {
    CURRENT.remove();
  }

  public static String actor() {
    RequestContext c = CURRENT.get();
    return c == null ? "system" : c.who();
  }

  /** The current request's context, or null outside a request (kept for later auditing). */
  public static RequestContext current() {
    return CURRENT.get();
  }

  /**
   * The handler, run with this thread's request context on whatever thread calls it: plugin routes
   * run on the plugin's own call threads (layer 3), and what such a call causes (a sandbox denial,
   * an audit entry) must still name the user it served.
   */
  public static HttpRoutes.Handler carriedTo(HttpRoutes.Handler handler) {
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

  public String who() {
    return user.isPresent() ? user.get().username() : "anonymous";
  }

  public static String remote() {
    RequestContext c = CURRENT.get();
    return c == null ? "local" : c.remote;
  }
}
