package dev.cas.pf4j;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of a migrated PF4J plugin (registered in its jar's {@code META-INF/services}):
 * every SLF4J logger of the plugin writes to its CAS logger, {@code plugin.<id>}, which the host
 * shows in the plugin's logs. PF4J's {@code Plugin.log} is such a logger.
 */
public final class CasSlf4jProvider implements SLF4JServiceProvider {

  private static volatile String pluginId = "pf4j";

  private final ILoggerFactory loggers = CasSlf4jLogger::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  /** ServiceLoader creates it. */
  public CasSlf4jProvider() {}

  /** Names the plugin whose logger the SLF4J loggers of this class loader write to. */
  static void bind(String id) {
    pluginId = id;
  }

  /** The CAS logger the plugin's SLF4J loggers write to. */
  static System.Logger target() {
    return System.getLogger("plugin." + pluginId);
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}
}
