package dev.cas.server.http;

import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.Json;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.http.HttpApi.StreamReply;
import dev.cas.server.logs.LogLevel;
import dev.cas.server.logs.LogLine;
import dev.cas.server.logs.PluginLogs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A plugin's recent log lines: {@code GET /api/plugins/{id}/logs[?level=&since=&follow=true]}.
 * Without {@code follow}, the kept lines as JSON; with it, server-sent events: the kept lines, then
 * each new line as it is logged, until the client goes away.
 */
final class LogEndpoints {

  /** A follower that cannot keep up loses lines (counted), never slows the logging threads. */
  static final int FOLLOW_BUFFER = 1000;

  /** A comment this often finds out that a silent client has gone. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final PluginLogs logs;
  private final UnaryOperator<String> known;

  LogEndpoints(PluginLogs logs, UnaryOperator<String> known) {
    this.logs = logs;
    this.known = known;
  }

  HttpApi routes(HttpApi api) {
    return api.route("GET", "/api/plugins/{id}/logs", HttpApi.Role.OPERATOR, this::logs);
  }

  private Reply logs(Call c) {
    String id = known.apply(c.param("id"));
    LogLevel level = c.queryParam("level").map(LogLevel::parse).orElse(LogLevel.TRACE);
    Optional<Duration> since = c.queryParam("since").map(LogEndpoints::duration);
    if (c.flag("follow")) {
      return new StreamReply("text/event-stream", out -> follow(out, id, level, since));
    }
    PluginLogs.Page page = logs.lines(id, level, since);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", id);
    data.put("lines", page.lines());
    data.put("dropped", page.dropped());
    data.put("capacity", PluginLogs.CAPACITY);
    data.put("byteCapacity", PluginLogs.BYTE_CAPACITY);
    data.put("capturing", logs.capturing());
    return new Json(200, data, null);
  }

  /**
   * The kept lines, then the new ones. The follower is registered before the kept lines are read
   * and lines it queued that the page already had are skipped (by number), so none is lost or sent
   * twice in between.
   */
  private void follow(OutputStream out, String id, LogLevel level, Optional<Duration> since)
      throws IOException {
    BlockingQueue<LogLine> queue = new ArrayBlockingQueue<>(FOLLOW_BUFFER);
    AtomicLong lost = new AtomicLong();
    PluginLogs.Following following =
        logs.follow(
            id,
            line -> {
              if (level.admits(line.level()) && !queue.offer(line)) {
                lost.incrementAndGet();
              }
            });
    try {
      PluginLogs.Page page = logs.lines(id, level, since);
      long sent = 0;
      event(out, "dropped", Map.of("dropped", page.dropped()));
      for (LogLine line : page.lines()) {
        event(out, "line", line);
        sent = line.seq();
      }
      out.flush();
      while (true) {
        LogLine next = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        long gone = lost.getAndSet(0);
        if (gone > 0) {
          event(out, "lost", Map.of("lost", gone));
        }
        if (next == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        } else if (next.seq() > sent) {
          event(out, "line", next);
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      following.close();
    }
  }

  private static void event(OutputStream out, String name, Object data) throws IOException {
    out.write(
        ("event: " + name + "\ndata: " + HttpApi.JSON.writeValueAsString(data) + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static Duration duration(String text) {
    try {
      Duration d = Duration.parse(text);
      if (d.isNegative()) {
        throw new IllegalArgumentException("since [" + text + "] is negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "since [" + text + "] is not an ISO-8601 duration such as PT10M");
    }
  }
}
