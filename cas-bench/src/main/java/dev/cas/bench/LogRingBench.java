package dev.cas.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.cas.server.logs.LogLevel;
import dev.cas.server.logs.PluginLogs;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What a full log ring costs per plugin: the host's real {@link PluginLogs} capture on the root
 * logger, N plugins each logging through SLF4J with its id in the MDC (as on the threads that run
 * its code) until its ring holds {@link PluginLogs#CAPACITY} lines, then the heap retained after a
 * full GC minus the heap before, divided by N. Twice: with lines of a typical length, and with
 * lines at the appender's cap (the worst a plugin can make its ring cost). Each message is a String
 * of its own, as a formatted message is.
 */
final class LogRingBench {

  /** A typical line: about the length of a log message with a few values in it. */
  static final int TYPICAL_CHARS = 120;

  /** The appender cuts a message at 8,192 characters (PluginLogAppender.MAX_MESSAGE). */
  static final int CAP_CHARS = 8192;

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  record Row(
      String lines,
      int plugins,
      int charsPerLine,
      int kept,
      long bytesPerPlugin,
      long textPerPlugin) {}

  record Result(String markdown, List<Row> rows) {}

  private final int typicalPlugins;
  private final int cappedPlugins;

  LogRingBench(int typicalPlugins, int cappedPlugins) {
    this.typicalPlugins = typicalPlugins;
    this.cappedPlugins = cappedPlugins;
  }

  Result run() {
    List<Row> rows = new ArrayList<>();
    rows.add(measure("typical", typicalPlugins, TYPICAL_CHARS));
    // Longer than the cap: the ring keeps the cut message (cap + a short note).
    rows.add(measure("at the cap", cappedPlugins, CAP_CHARS + 100));
    StringBuilder md = new StringBuilder();
    md.append("### Log ring memory per plugin\n\n")
        .append("Each plugin logs ")
        .append(PluginLogs.CAPACITY)
        .append(" lines; its ring keeps at most ")
        .append(PluginLogs.CAPACITY)
        .append(" lines and ")
        .append(PluginLogs.BYTE_CAPACITY / 1024)
        .append(" KiB of them; retained heap after a full GC, per plugin.\n\n")
        .append(
            "| lines | plugins | characters per message | lines kept | retained per plugin |"
                + " of which text |\n")
        .append("|---|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      md.append(
          Stats.fmt(
              "| %s | %d | %d | %d | %.2f MiB (%.0f bytes a line) | %.2f MiB |\n",
              r.lines(),
              r.plugins(),
              Math.min(r.charsPerLine(), CAP_CHARS),
              r.kept(),
              r.bytesPerPlugin() / 1048576.0,
              r.bytesPerPlugin() / (double) Math.max(1, r.kept()),
              r.textPerPlugin() / 1048576.0));
    }
    return new Result(md.toString(), rows);
  }

  private Row measure(String label, int plugins, int chars) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    // Only the ring capture sees the lines: the console appenders are set aside meanwhile.
    List<Appender<ILoggingEvent>> set = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      set.add(it.next());
    }
    set.forEach(root::detachAppender);
    root.setLevel(Level.INFO);
    org.slf4j.Logger log = LoggerFactory.getLogger("plugin.bench");
    try (PluginLogs logs = PluginLogs.start()) {
      long before = usedAfterGc();
      for (int p = 0; p < plugins; p++) {
        MDC.put(PluginLogs.MDC_KEY, "bench-plugin-" + p);
        for (int i = 0; i < PluginLogs.CAPACITY; i++) {
          log.info(message(p, i, chars));
        }
      }
      MDC.remove(PluginLogs.MDC_KEY);
      long after = usedAfterGc();
      PluginLogs.Page last =
          logs.lines("bench-plugin-" + (plugins - 1), LogLevel.TRACE, Optional.empty());
      if (last.lines().size() + last.dropped() != PluginLogs.CAPACITY) {
        throw new IllegalStateException(
            "the ring holds "
                + last.lines().size()
                + " lines and dropped "
                + last.dropped()
                + ", not "
                + PluginLogs.CAPACITY
                + " in all");
      }
      return new Row(
          label, plugins, chars, last.lines().size(), (after - before) / plugins, textBytes(last));
    } finally {
      root.setLevel(level);
      set.forEach(root::addAppender);
    }
  }

  /**
   * The bytes of the kept messages' characters: one a character for a Latin-1 string, two for any
   * other (compact strings).
   */
  private static long textBytes(PluginLogs.Page page) {
    long sum = 0;
    for (var line : page.lines()) {
      String m = line.message();
      sum += m.chars().anyMatch(c -> c > 0xFF) ? 2L * m.length() : m.length();
    }
    return sum;
  }

  /** A message of its own: a number, then filler up to {@code chars}. */
  private static String message(int plugin, int line, int chars) {
    StringBuilder b = new StringBuilder(chars);
    b.append("plugin ").append(plugin).append(" line ").append(line).append(": ");
    while (b.length() < chars) {
      b.append("lorem ipsum dolor sit amet ");
    }
    b.setLength(chars);
    return b.toString();
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
