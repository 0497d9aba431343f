package dev.cas.server.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every answer of the host carries, page and API alike. The Content-Security-Policy
 * allows only the host's own scripts, styles and connections: no inline script or style, no eval,
 * no plugin objects, and no framing (clickjacking of the admin actions). The page itself frames
 * only the host's own plugin frames ({@code frame-src 'self'}), which are sandboxed ({@link
 * PluginFrames}).
 */
public final class SecurityHeaders {

  /** The page's policy: everything from the host itself, nothing inline, never in a frame. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
          + " font-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none';"
          + " frame-ancestors 'none'; frame-src 'self'";

  private SecurityHeaders() {}

  /** For the page and its assets. */
  public static Map<String, String> page() {
    Map<String, String> h = new LinkedHashMap<>(common());
    h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.put("Cross-Origin-Opener-Policy", "same-origin");
    return h;
  }

  /**
   * For every answer: a browser must not guess a type (a plugin's JSON rendered as HTML), send the
   * page's address elsewhere, or frame it.
   */
  public static Map<String, String> common() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "no-referrer");
    h.put("X-Frame-Options", "DENY");
    return h;
  }
}
