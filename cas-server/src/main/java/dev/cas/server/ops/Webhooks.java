package dev.cas.server.ops;

import dev.cas.server.Monitoring;
import dev.cas.server.http.HttpApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts as JSON to each configured webhook, each post with a timeout ({@code
 * alerts.timeout.seconds}) and retried ({@code alerts.retries}) with a doubling pause, on a virtual
 * thread of its own so neither the health monitor nor an event's publisher waits for a slow
 * receiver.
 *
 * <p>Threat: a webhook URL or token in the host's log (a chat webhook's URL is its credential).
 * Webhooks are named in messages by their position ({@code webhook #2}) only; a failure is logged
 * by its status or exception class, never by the exception's message, which may quote the URL.
 */
final class Webhooks implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(200);

  private final List<URI> urls;
  private final String token;
  private final Duration timeout;
  private final int retries;
  private final HttpClient client;
  private final ExecutorService senders =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cas-alert-", 0).factory());

  Webhooks(Monitoring config) {
    this.urls = config.webhooks();
    this.token = config.webhookToken();
    this.timeout = config.webhookTimeout();
    this.retries = config.webhookRetries();
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Sends the alert to every webhook, in the background. */
  void post(Map<String, Object> alert) {
    byte[] body = HttpApi.JSON.writeValueAsBytes(alert);
    for (int i = 0; i < urls.size(); i++) {
      int n = i + 1;
      URI url = urls.get(i);
      senders.execute(() -> deliver(n, url, body, String.valueOf(alert.get("alert"))));
    }
  }

  private void deliver(int n, URI url, byte[] body, String kind) {
    Duration pause = FIRST_PAUSE;
    String last = "";
    for (int attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          return;
        }
        pause = pause.multipliedBy(2);
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(url)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("User-Agent", "cas-alerts")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (!token.isEmpty()) {
        request.header("Authorization", "Bearer " + token);
      }
      try {
        HttpResponse<Void> r = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 == 2) {
          return;
        }
        last = "HTTP " + r.statusCode();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.io.IOException e) {
        last = e.getClass().getSimpleName();
      }
    }
    LOG.warn(
        "alert [{}] not delivered to webhook #{} after {} attempts (last: {})",
        kind,
        n,
        retries + 1,
        last);
  }

  @Override
  public void close() {
    senders.shutdownNow();
    client.close();
  }
}
