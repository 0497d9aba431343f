package dev.cas.server.ops;

import dev.cas.plugin.api.UserInfo;
import dev.cas.server.security.UserStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code GET /metrics}: the Prometheus text format, for an admin's token or the scrape token of
 * {@code metrics.token}. It sits beside the JSON API rather than in it: a scraper's token is no
 * user's, and Prometheus expects plain text, also for its errors.
 */
public final class MetricsEndpoint {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HostMetrics metrics;
  private final UserStore users;
  private final byte[] scrapeToken;

  /**
   * @param metrics what is scraped
   * @param users to look an admin's token up
   * @param scrapeToken {@code metrics.token}; empty for admins only
   */
  public MetricsEndpoint(HostMetrics metrics, UserStore users, String scrapeToken) {
    this.metrics = metrics;
    this.users = users;
    this.scrapeToken = scrapeToken.getBytes(StandardCharsets.UTF_8);
  }

  /** The Helidon handler. */
  public void handle(ServerRequest req, ServerResponse res) {
    Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      refuse(
          res,
          Status.UNAUTHORIZED_401,
          "authentication required: send Authorization: Bearer <an admin's token or metrics.token>");
      return;
    }
    String token = header.get().substring(7).trim();
    if (!isScrapeToken(token)) {
      Optional<UserInfo> user = users.byToken(token);
      if (user.isEmpty()) {
        refuse(res, Status.UNAUTHORIZED_401, "the token is unknown or expired");
        return;
      }
      if (!user.get().roles().contains("admin")) {
        refuse(
            res,
            Status.FORBIDDEN_403,
            "user [" + user.get().username() + "] lacks role [admin] for GET /metrics");
        return;
      }
    }
    res.status(Status.OK_200);
    res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
  }

  /** Threat: guessing the token a byte at a time from the answer's timing; compared in full. */
  private boolean isScrapeToken(String token) {
    return scrapeToken.length > 0
        && MessageDigest.isEqual(scrapeToken, token.getBytes(StandardCharsets.UTF_8));
  }

  private static void refuse(ServerResponse res, Status status, String message) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    res.send((message + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
