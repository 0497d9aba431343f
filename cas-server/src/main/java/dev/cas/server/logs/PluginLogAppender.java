package dev.cas.server.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.cas.runtime.PluginClassLoader;
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
      message = message.substring(0, MAX_MESSAGE) + "... (cut at " + MAX_MESSAGE + " characters)";
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
   * MDC first (set while a host thread runs the plugin's code), then the context class loader of a
   * thread the plugin started itself (the logging thread: this appender runs on it), then the
   * logger's name ({@code plugin.<id>}). Threat: a plugin may log under another plugin's logger
   * name; on the threads that run its code that line is still its own. A plugin cannot pose as
   * another by its threads' names, nor reach another plugin's class loader.
   */
  static Optional<String> pluginOf(ILoggingEvent e) {
    String mdc = e.getMDCPropertyMap().get(PluginLogs.MDC_KEY);
    if (mdc != null) {
      return Optional.of(mdc);
    }
    if (Thread.currentThread().getContextClassLoader() instanceof PluginClassLoader loader) {
      return Optional.of(loader.pluginId());
    }
    String logger = e.getLoggerName();
    if (logger != null && logger.startsWith("plugin.") && logger.length() > 7) {
      return Optional.of(logger.substring(7));
    }
    return Optional.empty();
  }
}
