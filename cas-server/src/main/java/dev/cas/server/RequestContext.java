package dev.cas.server;

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

  String who() {
    return user.isPresent() ? user.get().username() : "anonymous";
  }

  static String remote() {
    RequestContext c = CURRENT.get();
    return c == null ? "local" : c.remote;
  }
}
