package dev.cas.server.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.Optional;

/** Hands each log event that belongs to a plugin to {@link PluginLogs}. */
final class PluginLogAppender extends AppenderBase<ILoggingEvent> {

  /** A line longer than this is cut: one huge message must not fill the memory. */
  static final int MAX_MESSAGE = 8192;

  private final PluginLogs logs;

  PluginLogAppender(PluginLogs logs) {
    this.logs = logs;
    setName("cas-plugin-logs");
  }

  @Override
  protected void append(ILoggingEvent e) {
    Optional<String> plugin = pluginOf(e);
    if (plugin.isEmpty()) {
      return;
    }
    String message = e.getFormattedMessage();
    IThrowableProxy thrown = e.getThrowableProxy();
    if (thrown != null) {
      message = message + "\n" + ThrowableProxyUtil.asString(thrown);
    }
    if (message != null && message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "… (cut at " + MAX_MESSAGE + " characters)";
    }
    logs.append(
        plugin.get(),
        e.getInstant(),
        e.getLevel().toString(),
        e.getLoggerName(),
        e.getThreadName(),
        message);
  }

  /**
   * MDC first (the plugin's call thread), then the plugin's lifecycle thread's name, then the
   * logger's name ({@code plugin.<id>}). Threat: a plugin may log under another plugin's logger
   * name; on its own call and lifecycle threads that line is still its own.
   */
  static Optional<String> pluginOf(ILoggingEvent e) {
    String mdc = e.getMDCPropertyMap().get(PluginLogs.MDC_KEY);
    if (mdc != null) {
      return Optional.of(mdc);
    }
    String thread = e.getThreadName();
    if (thread != null && thread.startsWith("plugin-")) {
      int last = thread.lastIndexOf('-');
      if (last > 7) {
        return Optional.of(thread.substring(7, last));
      }
    }
    String logger = e.getLoggerName();
    if (logger != null && logger.startsWith("plugin.") && logger.length() > 7) {
      return Optional.of(logger.substring(7));
    }
    return Optional.empty();
  }
}
