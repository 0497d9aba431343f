/**
 * The admin web page: its static files (served on the host's port, no CDN), the browser session (an
 * HttpOnly SameSite=Strict cookie plus a CSRF token for state-changing calls) and the security
 * headers of every answer. The page is a face of the REST API: it has no capability the API lacks.
 *
 * <p>Plugin pages: {@link dev.cas.server.web.PluginFrames} writes the sandboxed frame documents
 * plugin components run in, and {@link dev.cas.server.web.PluginAssets} serves the plugins' public
 * {@code frontend/dist/} files to them; the page's bridge (plugin-frames.js) is all a frame can
 * reach (docs/security.md, "Plugin pages").
 */
package dev.cas.server.web;
