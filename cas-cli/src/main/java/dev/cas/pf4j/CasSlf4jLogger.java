package dev.cas.pf4j;

import java.io.Serial;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One SLF4J logger of a migrated PF4J plugin; it writes to the plugin's CAS logger. */
final class CasSlf4jLogger extends LegacyAbstractLogger {

  @Serial private static final long serialVersionUID = 1L;

  CasSlf4jLogger(String name) {
    this.name = name;
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(System.Logger.Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(System.Logger.Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(System.Logger.Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(System.Logger.Level.WARNING);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(System.Logger.Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    System.Logger target = CasSlf4jProvider.target();
    if (thrown == null) {
      target.log(map(level), message);
    } else {
      target.log(map(level), message, thrown);
    }
  }

  private static boolean enabled(System.Logger.Level level) {
    return CasSlf4jProvider.target().isLoggable(level);
  }

  // Not a switch: a switch on another class's enum compiles to an extra class, and the migrated
  // jar carries exactly the class files this package lists.
  private static System.Logger.Level map(Level level) {
    if (level == Level.ERROR) {
      return System.Logger.Level.ERROR;
    }
    if (level == Level.WARN) {
      return System.Logger.Level.WARNING;
    }
    if (level == Level.INFO) {
      return System.Logger.Level.INFO;
    }
    return level == Level.DEBUG ? System.Logger.Level.DEBUG : System.Logger.Level.TRACE;
  }
}
