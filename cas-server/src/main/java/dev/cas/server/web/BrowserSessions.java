package dev.cas.server.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The browser's session: the sign-in token in an HttpOnly, SameSite=Strict cookie (Secure when the
 * request came over TLS), and the CSRF token every state-changing cookie-authenticated request must
 * send in {@value #CSRF_HEADER}.
 *
 * <p>The CSRF token is derived from the session token (SHA-256 over a label and the token), so it
 * survives a host restart and holds on every host of a cluster, and only someone who holds the
 * session token can compute it. Threat: a page on another site making the browser send a request
 * with the cookie; SameSite=Strict keeps the cookie off such requests in current browsers, and the
 * token, which that page cannot read, stops them in the others. Bearer-token clients (the CLI,
 * scripts) send no cookie and need no CSRF token: a cross-site page cannot set Authorization.
 */
public final class BrowserSessions {

  /** The cookie's name. */
  public static final String COOKIE = "cas_session";

  /** The header carrying the CSRF token. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /** How long a browser session lasts. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  private BrowserSessions() {}

  /** The session token in a {@code Cookie} header, when there is one. */
  public static Optional<String> tokenFrom(Optional<String> cookieHeader) {
    if (cookieHeader.isEmpty()) {
      return Optional.empty();
    }
    for (String part : cookieHeader.get().split(";")) {
      String p = part.trim();
      if (p.startsWith(COOKIE + "=") && p.length() > COOKIE.length() + 1) {
        return Optional.of(p.substring(COOKIE.length() + 1));
      }
    }
    return Optional.empty();
  }

  /** The {@code Set-Cookie} value that starts a session. */
  public static String cookie(String token, boolean secure) {
    return COOKIE
        + "="
        + token
        + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
        + LIFETIME.toSeconds()
        + (secure ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} value that ends it in the browser. */
  public static String clearedCookie(boolean secure) {
    return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : "");
  }

  /** The CSRF token of a session. */
  public static String csrfToken(String sessionToken) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("cas-csrf-v1:" + sessionToken).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether a method changes state (everything but GET, HEAD, OPTIONS). */
  public static boolean changesState(String method) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD", "OPTIONS" -> false;
      default -> true;
    };
  }

  /**
   * Why a cookie-authenticated request may not go on, or empty when its CSRF token is right.
   * Compared in constant time.
   */
  public static Optional<CsrfProblem> checkCsrf(
      String method, String sessionToken, Optional<String> sent) {
    if (!changesState(method)) {
      return Optional.empty();
    }
    if (sent.isEmpty() || sent.get().isBlank()) {
      return Optional.of(CsrfProblem.MISSING);
    }
    boolean same =
        MessageDigest.isEqual(
            csrfToken(sessionToken).getBytes(StandardCharsets.UTF_8),
            sent.get().trim().getBytes(StandardCharsets.UTF_8));
    return same ? Optional.empty() : Optional.of(CsrfProblem.WRONG);
  }

  /** What is wrong with a request's CSRF token. */
  public enum CsrfProblem {
    MISSING(
        "a request signed in by the session cookie must send the session's CSRF token in header "
            + CSRF_HEADER),
    WRONG("the " + CSRF_HEADER + " header does not match the session's CSRF token");

    private final String message;

    CsrfProblem(String message) {
      this.message = message;
    }

    /** The refusal's message. */
    public String message() {
      return message;
    }
  }
}
