package dev.cas.server.logs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.cas.runtime.CallAttribution;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The last lines each plugin logged, kept in memory for {@code GET /api/plugins/{id}/logs}: a
 * bounded ring per plugin, by lines ({@value #CAPACITY}) and by bytes ({@value #BYTE_CAPACITY}: a
 * plugin logging lines at the appender's 8,192-character cap keeps fewer of them, not a ring forty
 * times as large); the oldest lines go when either is reached, and a counter says how many went,
 * fed by an appender on the root logger while the host runs. A line is the plugin's when its MDC
 * key {@value #MDC_KEY} names it (set by {@link #attribution()} on every thread while it runs the
 * plugin's code: route calls, event deliveries, lifecycle calls, tasks, scheduled runs, pool work),
 * when it comes from a thread the plugin started itself (its context class loader is the plugin's),
 * or when its logger is the plugin's ({@code plugin.<id>}, what {@code PluginContext.logger()}
 * gives).
 */
public final class PluginLogs implements AutoCloseable {

  /** The MDC key that attributes a log line to a plugin. */
  public static final String MDC_KEY = "plugin";

  /** Lines kept per plugin. */
  public static final int CAPACITY = 1000;

  /**
   * Bytes of kept lines per plugin, as {@link #cost} counts them: about a thousand lines of a
   * typical length (~230 bytes each), or 30 lines at the message cap.
   */
  public static final long BYTE_CAPACITY = 512 * 1024;

  /** What a line object and its fields cost besides their characters (headers, Instant, refs). */
  static final int LINE_OVERHEAD = 120;

  /** At most this many plugins get a ring: a flood of made-up ids cannot grow memory. */
  static final int MAX_PLUGINS = 10_000;

  private final Map<String, Ring> rings = new ConcurrentHashMap<>();
  private final PluginLogAppender appender;

  private PluginLogs() {
    this.appender = new PluginLogAppender(this);
  }

  /**
   * Starts capturing. When the logging backend is not logback (a test class path with another SLF4J
   * provider), nothing is captured and {@link #capturing()} says so.
   */
  public static PluginLogs start() {
    PluginLogs logs = new PluginLogs();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      logs.appender.setContext(context);
      logs.appender.start();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs.appender);
    }
    return logs;
  }

  public boolean capturing() {
    return appender.isStarted();
  }

  /**
   * What the runtime calls on each thread that starts running a plugin's code: puts the plugin's id
   * in the MDC (so the host's own log lines carry it too) and restores what was there when the code
   * has run.
   */
  public static CallAttribution attribution() {
    return pluginId -> {
      String before = MDC.get(MDC_KEY);
      MDC.put(MDC_KEY, pluginId);
      return () -> {
        if (before == null) {
          MDC.remove(MDC_KEY);
        } else {
          MDC.put(MDC_KEY, before);
        }
      };
    };
  }

  /** What a query answers: the lines that match, and how many lines the ring has dropped. */
  public record Page(List<LogLine> lines, long dropped) {}

  /** The plugin's kept lines at or above {@code min}, logged within {@code since} if given. */
  public Page lines(String pluginId, LogLevel min, java.util.Optional<Duration> since) {
    Ring ring = rings.get(pluginId);
    if (ring == null) {
      return new Page(List.of(), 0);
    }
    Instant from = since.map(d -> Instant.now().minus(d)).orElse(Instant.MIN);
    synchronized (ring) {
      return new Page(
          ring.lines.stream().filter(l -> min.admits(l.level()) && !l.at().isBefore(from)).toList(),
          ring.dropped);
    }
  }

  /** A registered follower; closing it stops the calls. */
  public interface Following extends AutoCloseable {
    @Override
    void close();
  }

  /** Calls {@code follower} with each new line of the plugin until the returned handle closes. */
  public Following follow(String pluginId, Consumer<LogLine> follower) {
    Ring ring = ring(pluginId);
    if (ring == null) {
      return () -> {};
    }
    ring.followers.add(follower);
    return () -> ring.followers.remove(follower);
  }

  void append(
      String pluginId, Instant at, String level, String logger, String thread, String message) {
    Ring ring = ring(pluginId);
    if (ring == null) {
      return;
    }
    LogLine line;
    synchronized (ring) {
      line = new LogLine(++ring.seq, at, level, logger, thread, message);
      long cost = cost(line);
      while (!ring.lines.isEmpty()
          && (ring.lines.size() >= CAPACITY || ring.bytes + cost > BYTE_CAPACITY)) {
        ring.bytes -= cost(ring.lines.removeFirst());
        ring.dropped++;
      }
      ring.lines.addLast(line);
      ring.bytes += cost;
    }
    for (Consumer<LogLine> f : ring.followers) {
      f.accept(line);
    }
  }

  /**
   * A line's heap cost, counted as the JVM stores it: its strings' characters at one byte each when
   * they are all Latin-1 (compact strings), else two, plus {@link #LINE_OVERHEAD}.
   */
  static long cost(LogLine line) {
    return LINE_OVERHEAD
        + chars(line.message())
        + chars(line.logger())
        + chars(line.thread())
        + chars(line.level());
  }

  private static long chars(String s) {
    if (s == null) {
      return 0;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return 2L * s.length();
      }
    }
    return s.length();
  }

  /** The bytes the plugin's kept lines cost, as {@link #cost} counts them. */
  public long bytes(String pluginId) {
    Ring ring = rings.get(pluginId);
    if (ring == null) {
      return 0;
    }
    synchronized (ring) {
      return ring.bytes;
    }
  }

  private Ring ring(String pluginId) {
    Ring ring = rings.get(pluginId);
    if (ring == null && rings.size() < MAX_PLUGINS) {
      ring = rings.computeIfAbsent(pluginId, k -> new Ring());
    }
    return ring;
  }

  /** Stops capturing and lets the kept lines go, even if something still holds this object. */
  @Override
  public void close() {
    rings.clear();
    if (appender.isStarted()) {
      Logger root =
          ((LoggerContext) appender.getContext()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAppender(appender);
      appender.stop();
    }
  }

  private static final class Ring {
    final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    final List<Consumer<LogLine>> followers = new CopyOnWriteArrayList<>();
    long seq;
    long dropped;
    long bytes;
  }
}
