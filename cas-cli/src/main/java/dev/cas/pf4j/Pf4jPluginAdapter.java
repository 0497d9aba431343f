package dev.cas.pf4j;

import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Properties;
import org.pf4j.DefaultPluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * The CAS main class of a migrated PF4J plugin. It reads which PF4J class to run from {@value
 * #SETTINGS} (written by {@code cas migrate-legacy}) and maps the lifecycles:
 *
 * <pre>
 * CAS initialize   → PF4J constructor (the no-argument one; else the deprecated
 *                    Plugin(PluginWrapper), given a wrapper whose manager only answers
 *                    getRuntimeMode)
 * CAS activate     → Plugin.start()
 * CAS deactivate   → Plugin.stop()
 * CAS uninstall    → Plugin.delete()
 * </pre>
 */
public final class Pf4jPluginAdapter implements Plugin {

  /** The settings resource in the migrated plugin's jar. */
  public static final String SETTINGS = "META-INF/cas-pf4j.properties";

  private org.pf4j.Plugin plugin;

  /** The host creates it with this constructor. */
  public Pf4jPluginAdapter() {}

  @Override
  public void initialize(PluginContext context) throws Exception {
    CasSlf4jProvider.bind(context.pluginId());
    Properties settings = settings();
    String className = required(settings, "plugin.class");
    Class<? extends org.pf4j.Plugin> type =
        Class.forName(className, true, Pf4jPluginAdapter.class.getClassLoader())
            .asSubclass(org.pf4j.Plugin.class);
    plugin = create(type, settings, context);
  }

  @Override
  public void activate() {
    plugin.start();
  }

  @Override
  public void deactivate() {
    plugin.stop();
  }

  @Override
  public void uninstall() {
    plugin.delete();
  }

  private static org.pf4j.Plugin create(
      Class<? extends org.pf4j.Plugin> type, Properties settings, PluginContext context)
      throws ReflectiveOperationException {
    try {
      return type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      Constructor<? extends org.pf4j.Plugin> legacy = type.getConstructor(PluginWrapper.class);
      return legacy.newInstance(wrapper(settings, context));
    }
  }

  /** What the deprecated constructor gets: the plugin's PF4J descriptor and a minimal manager. */
  private static PluginWrapper wrapper(Properties settings, PluginContext context) {
    DefaultPluginDescriptor descriptor =
        new DefaultPluginDescriptor(
            settings.getProperty("plugin.id", context.pluginId()),
            settings.getProperty("plugin.description", ""),
            required(settings, "plugin.class"),
            settings.getProperty("plugin.version", context.pluginVersion()),
            settings.getProperty("plugin.requires", "*"),
            settings.getProperty("plugin.provider", ""),
            settings.getProperty("plugin.license", ""));
    ClassLoader loader = Pf4jPluginAdapter.class.getClassLoader();
    PluginManager manager =
        (PluginManager)
            Proxy.newProxyInstance(
                loader,
                new Class<?>[] {PluginManager.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "getRuntimeMode" -> RuntimeMode.DEPLOYMENT;
                      case "isDevelopment" -> false;
                      case "toString" -> "CAS host of plugin [" + context.pluginId() + "]";
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      default ->
                          throw new UnsupportedOperationException(
                              "PluginManager."
                                  + method.getName()
                                  + " is not available to PF4J plugin ["
                                  + context.pluginId()
                                  + "] in a CAS host");
                    });
    return new PluginWrapper(manager, descriptor, Path.of(context.pluginId()), loader);
  }

  private static Properties settings() throws IOException {
    Properties settings = new Properties();
    try (InputStream in = Pf4jPluginAdapter.class.getClassLoader().getResourceAsStream(SETTINGS)) {
      if (in == null) {
        throw new IllegalStateException(
            "the migrated plugin's jar has no [" + SETTINGS + "]; migrate it again");
      }
      settings.load(in);
    }
    return settings;
  }

  private static String required(Properties settings, String key) {
    String value = settings.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("[" + SETTINGS + "] has no [" + key + "]; migrate it again");
    }
    return value;
  }
}
