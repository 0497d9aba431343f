package dev.cas.sandbox.checker;

import dev.cas.sandbox.checker.PluginPermissionDenied.Operation;
import java.lang.invoke.MethodHandles;
import java.util.Properties;

/**
 * Layer 2, second half: the checks on JVM-wide state and on new code — the environment, the
 * defaults every thread reads (locale, time zone, standard streams, URL/socket/SSL factories,
 * proxy, cookie and cache handlers), the system properties, class loaders and class definition.
 * Called, like {@link PolicyChecker}, from the start of the JDK methods the agent rewrites.
 */
public final class JvmStateChecker {

  private JvmStateChecker() {}

  /**
   * Threat: secrets live in the environment (database passwords, cloud keys). {@code
   * ProcessEnvironment.getenv(String)/getenv()/environment()}: {@code System.getenv} and {@code
   * ProcessBuilder.environment()}. Any plugin acting denies; the host (not serving a plugin) may.
   */
  public static void checkEnvironment(String name) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw PolicyChecker.deny(
          policy, Operation.READ_ENVIRONMENT, name == null ? "*" : name, "not allowed to plugins");
    }
  }

  /**
   * Threat: replacing what every thread of the JVM reads — {@code Locale.setDefault}, {@code
   * TimeZone.setDefault}, {@code System.setOut/setErr/setIn}, URL and socket factories, the default
   * SSL context, socket factory and host-name verifier (disabling TLS checks for the host), the
   * default authenticator, proxy selector, cookie handler and response cache. Any plugin frame on
   * the stack denies: host code cannot launder it.
   *
   * @param method the guarded method, {@code Type.method}
   */
  public static void checkGlobalState(String method) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw PolicyChecker.deny(policy, Operation.GLOBAL_STATE, method, "not allowed to plugins");
    }
  }

  /**
   * Threat: {@code System.getProperties()} hands out the live object, so {@code put} on it would
   * set a system property past {@code System.setProperty}'s check. With a plugin frame anywhere on
   * the stack the caller gets a copy instead: reads work as before, writes change only the copy.
   *
   * @return {@code live} for the JDK and the host, a copy for plugins
   */
  public static Properties propertiesFor(Properties live) {
    if (Attribution.firstActor() == null) {
      return live;
    }
    return (Properties) live.clone();
  }

  /**
   * Threat: code in a loader of the plugin's making escapes the static scan of its package (layer
   * 0) and, with a parent of its choosing, the attribution of its classes. {@code ClassLoader}'s
   * constructors (every subclass: {@code URLClassLoader}, its own): any plugin acting denies, so a
   * host API that makes loaders cannot be made to make one for a plugin. The host's own {@code
   * PluginClassLoader} is made with no plugin frame on the stack.
   */
  public static void checkCreateClassLoader(String name) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw PolicyChecker.deny(
          policy,
          Operation.CREATE_CLASS_LOADER,
          name == null ? "unnamed" : name,
          "not allowed to plugins");
    }
  }

  /**
   * Threat: defining classes from bytes at run time ({@code Lookup.defineClass}, {@code
   * defineHiddenClass}, {@code defineHiddenClassWithClassData}) runs code the static scan never
   * saw. Only the immediate caller decides (past reflection and method handles): the JDK's
   * bootstraps define classes with the plugin's own lookup for a pattern {@code switch}, and must;
   * lambdas and string concatenation use an internal definer and never reach these methods.
   *
   * @param method the guarded method's name
   */
  public static void checkDefineClass(String method) {
    PluginPolicy policy = Attribution.immediateCallerPolicy(MethodHandles.Lookup.class);
    if (policy != null) {
      throw PolicyChecker.deny(
          policy,
          Operation.DEFINE_CLASS,
          "java.lang.invoke.MethodHandles.Lookup." + method,
          "not allowed to plugins");
    }
  }

  // ---- code that carries no frame of the plugin that made it ----

  /**
   * Threat: a proxy whose handler is the JDK's ({@code
   * java.beans.EventHandler.create(Runnable.class, new ProcessBuilder(…), "start")}) runs with no
   * frame of the plugin on the stack; handed to a thread that works for no plugin (a completion the
   * host's thread runs) it would act as the host. Method-handle proxies carry their maker's context
   * instead (see {@code TaskContext}); an {@code EventHandler} cannot, so plugins may not make one.
   *
   * @param method the guarded method, {@code Type.method}
   */
  public static void checkFramelessProxy(String method) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw PolicyChecker.deny(
          policy,
          Operation.FRAMELESS_PROXY,
          method,
          "the code it runs would carry no frame of the plugin");
    }
  }

  // ---- host-only JVM services: management, JFR ----

  /**
   * Threat: the management API sees and changes the whole JVM — a heap dump ({@code
   * HotSpotDiagnosticMXBean.dumpHeap}) holds every secret in memory and is written by the JVM
   * itself, past the file checks; the platform {@code MBeanServer} runs diagnostic commands; {@code
   * RuntimeMXBean} shows the command line; JFR records everything. {@code ManagementFactory}'s and
   * {@code MBeanServerFactory}'s methods, {@code FlightRecorder} and {@code Recording}: host-only,
   * refused when any plugin is acting.
   *
   * @param method the guarded method, {@code Type.method}
   */
  public static void checkHostOnly(String method) {
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw PolicyChecker.deny(
          policy, Operation.HOST_ONLY, method, "management and monitoring are the host's");
    }
  }

  // ---- logging: java.util.logging is one configuration for the whole JVM ----

  /**
   * Threat: a handler on the root logger receives every plugin's and the host's log records; a
   * level or filter set on a shared logger silences the host; {@code LogManager.reset} or {@code
   * readConfiguration} replaces the host's logging. {@code LogManager}'s configuration methods
   * ({@code readConfiguration}, {@code updateConfiguration}, {@code reset}, {@code
   * addConfigurationListener}, {@code getLoggingMXBean}): host-only. The JDK's own logging code
   * (its initialization, {@code java.util.logging} calling itself) passes.
   *
   * @param method the guarded method, {@code Type.method}
   */
  public static void checkLoggingConfig(String method) {
    if (isLoggingItself()) {
      return;
    }
    PluginPolicy policy = Attribution.firstActor();
    if (policy != null) {
      throw PolicyChecker.deny(
          policy, Operation.HOST_ONLY, method, "logging configuration is the host's");
    }
  }

  /**
   * The same for one logger ({@code addHandler}, {@code removeHandler}, {@code getHandlers}, {@code
   * setLevel}, {@code setFilter}, {@code setParent}, {@code setUseParentHandlers}, {@code
   * setResourceBundle}, {@code LogManager.addLogger}): a plugin may configure only its own loggers,
   * {@code plugin.<id>} and those under it, and anonymous ones; every plugin acting must own it.
   *
   * @param name the logger's name; {@code null} for an anonymous logger
   */
  public static void checkLogger(String name) {
    if (name == null || isLoggingItself()) {
      return;
    }
    for (PluginPolicy policy : Attribution.actors()) {
      String own = "plugin." + policy.pluginId();
      if (!name.equals(own) && !name.startsWith(own + ".")) {
        throw PolicyChecker.deny(
            policy,
            Operation.LOGGER,
            name.isEmpty() ? "root" : name,
            "a plugin may configure only its own loggers [" + own + "]");
      }
    }
  }

  /** {@code java.util.logging} calling itself: LogManager's initialization and configuration. */
  private static boolean isLoggingItself() {
    Class<?> caller = Attribution.callerOfGuarded();
    return caller != null
        && Attribution.isJdk(caller)
        && caller.getPackageName().equals("java.util.logging");
  }

  // ---- the host's class path: plugins see only the plugin API ----

  /**
   * Threat: the host's class path as a deputy — a plugin loading host libraries through the
   * application loader ({@code ClassLoader.getSystemClassLoader()}, a context class loader, {@code
   * Plugin.class.getClassLoader()}, {@code Class.forName(name, true, loader)}, a lookup teleported
   * into a host class) and asking them to work for it. The application loader itself refuses a
   * class to a plugin requester, whatever route gave the plugin the loader: every loader a plugin
   * can obtain is thereby a filtered view. Visible: the JDK's packages (the loader delegates them),
   * the plugin API ({@code dev.cas.plugin.api}) and the loop-budget hook {@code
   * dev.cas.runtime.LoopBudget}. The requester is the first caller that is not the JDK's (so host
   * code loading its own classes while it serves a plugin works); with none (a method-handle proxy
   * on a pool) the plugins acting decide.
   */
  public static void checkHostClass(ClassLoader loader, String name) {
    if (!HostClassPath.isHostLoader(loader) || HostClassPath.visibleToPlugins(name)) {
      return;
    }
    PluginPolicy policy = HostClassPath.pluginRequester();
    if (policy != null) {
      throw PolicyChecker.deny(
          policy, Operation.HOST_CLASS, name, "plugins see only the plugin API of the host");
    }
  }

  /** The same for the host's resources (its configuration files, its jars' contents). */
  public static void checkHostResource(ClassLoader loader, String name) {
    if (!HostClassPath.isHostLoader(loader)) {
      return;
    }
    PluginPolicy policy = HostClassPath.pluginRequester();
    if (policy != null) {
      throw PolicyChecker.deny(
          policy, Operation.HOST_RESOURCE, name, "plugins see only the plugin API of the host");
    }
  }
}
