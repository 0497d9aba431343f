package dev.cas.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Everything the host writes while it is open: the log (through an extra logback appender, with the
 * host's own loggers at DEBUG, stack traces included) and whatever reaches System.out and
 * System.err. For checking that secrets, passwords and tokens never reach a log.
 */
final class LogCapture implements AutoCloseable {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final Logger hostLogger;
  private final Level hostLevel;

  private LogCapture() {
    this("%level [%thread] %logger - %msg%n%ex");
  }

  private LogCapture(String pattern) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    appender.setContext(context);
    appender.setName("test-capture");
    appender.setEncoder(encoder);
    appender.setOutputStream(new Synchronized(captured));
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    hostLogger = context.getLogger("dev.cas");
    hostLevel = hostLogger.getLevel();
    hostLogger.setLevel(Level.DEBUG);
    System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
  }

  static LogCapture start() {
    return new LogCapture();
  }

  /** A capture that writes each line as the host's own log does ({@code logback.xml}). */
  static LogCapture withHostPattern() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    if (!(console instanceof OutputStreamAppender<ILoggingEvent> out)
        || !(out.getEncoder() instanceof PatternLayoutEncoder encoder)) {
      throw new IllegalStateException("logback.xml has no STDERR appender with a pattern");
    }
    return new LogCapture(encoder.getPattern());
  }

  /** All captured so far. */
  String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setOut(originalOut);
    System.setErr(originalErr);
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(Logger.ROOT_LOGGER_NAME)
        .detachAppender(appender);
    appender.stop();
    hostLogger.setLevel(hostLevel);
  }

  private static final class Synchronized extends OutputStream {
    private final ByteArrayOutputStream target;

    Synchronized(ByteArrayOutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      synchronized (target) {
        target.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (target) {
        target.write(b, off, len);
      }
    }
  }

  private static final class Tee extends OutputStream {
    private final PrintStream original;
    private final Synchronized copy;

    Tee(PrintStream original, ByteArrayOutputStream copy) {
      this.original = original;
      this.copy = new Synchronized(copy);
    }

    @Override
    public void write(int b) {
      original.write(b);
      copy.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      original.write(b, off, len);
      copy.write(b, off, len);
    }

    @Override
    public void flush() {
      original.flush();
    }
  }
}
