/**
 * The admin web page: its static files (served on the host's port, no CDN), the browser session (an
 * HttpOnly SameSite=Strict cookie plus a CSRF token for state-changing calls) and the security
 * headers of every answer. The page is a face of the REST API: it has no capability the API lacks.
 */
package dev.cas.server.web;
