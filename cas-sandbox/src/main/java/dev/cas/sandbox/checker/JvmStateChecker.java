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
   * ProcessBuilder.environment()}. The first non-JDK caller decides, so the host may read it.
   */
  public static void checkEnvironment(String name) {
    PluginPolicy policy = Attribution.callerPolicy();
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
    PluginPolicy policy = Attribution.anyUntrustedFramePolicy();
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
    if (Attribution.anyUntrustedFramePolicy() == null) {
      return live;
    }
    return (Properties) live.clone();
  }

  /**
   * Threat: code in a loader of the plugin's making escapes the static scan of its package (layer
   * 0) and, with a parent of its choosing, the attribution of its classes. {@code ClassLoader}'s
   * constructors (every subclass: {@code URLClassLoader}, its own): any plugin frame on the stack
   * denies, so a host API that makes loaders cannot be made to make one for a plugin. The host's
   * own {@code PluginClassLoader} is made with no plugin frame on the stack.
   */
  public static void checkCreateClassLoader(String name) {
    PluginPolicy policy = Attribution.anyUntrustedFramePolicy();
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
}
