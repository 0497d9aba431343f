package dev.cas.sandbox.checker;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What of the host's class path plugins may see through the application loader: the JDK's packages
 * (it delegates them), the plugin API and the loop-budget hook — and who is asking.
 */
final class HostClassPath {

  private static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();
  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

  /** The plugin API: shared by host and plugins (a plugin loader asks the host's loader). */
  private static final String API = "dev.cas.plugin.api.";

  /** The one host class a plugin's rewritten loops call. */
  private static final String LOOP_BUDGET = "dev.cas.runtime.LoopBudget";

  private static final Set<String> JDK_PACKAGES = jdkPackages();

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /** {@code ServiceLoader} and its iterators. */
  private static final String SERVICE_LOADER = "java.util.ServiceLoader";

  private static final String OWN_PACKAGE = HostClassPath.class.getPackageName();

  private HostClassPath() {}

  static boolean isHostLoader(ClassLoader loader) {
    return loader == SYSTEM;
  }

  static boolean visibleToPlugins(String className) {
    if (className.startsWith(API) || className.equals(LOOP_BUDGET)) {
      return true;
    }
    int dot = className.lastIndexOf('.');
    return dot > 0 && JDK_PACKAGES.contains(className.substring(0, dot));
  }

  /**
   * The plugin asking the application loader, or {@code null} when the host (or the JDK
   * initializing itself, or {@code ServiceLoader} finding providers) is: the first caller that is
   * not the JDK's decides; with only JDK frames, the plugins acting (a task's or a proxy's
   * context).
   */
  static PluginPolicy pluginRequester() {
    Class<?> requester = WALKER.walk(Requester.INSTANCE);
    if (requester == Void.class) {
      return null;
    }
    return requester != null ? Attribution.policyOf(requester) : Attribution.firstActor();
  }

  private static Set<String> jdkPackages() {
    Set<String> packages = new HashSet<>();
    for (Module module : ModuleLayer.boot().modules()) {
      ClassLoader loader = module.getClassLoader();
      if (loader == null || loader == PLATFORM) {
        packages.addAll(module.getPackages());
      }
    }
    return Set.copyOf(packages);
  }

  /** The first frame that is neither the checker's nor the JDK's; {@code Void} for a JDK init. */
  private static final class Requester
      implements Function<Stream<StackWalker.StackFrame>, Class<?>> {
    static final Requester INSTANCE = new Requester();

    @Override
    public Class<?> apply(Stream<StackWalker.StackFrame> frames) {
      var it = frames.iterator();
      while (it.hasNext()) {
        StackWalker.StackFrame frame = it.next();
        Class<?> c = frame.getDeclaringClass();
        if (c.getPackageName().equals(OWN_PACKAGE)) {
          continue;
        }
        if (Attribution.isJdk(c)) {
          if (frame.getMethodName().equals("<clinit>") || c.getName().startsWith(SERVICE_LOADER)) {
            // A JDK class initializing itself, or the JDK looking up the providers of a service
            // (URL handlers, charsets, drivers): what the host offers every caller.
            return Void.class;
          }
          continue;
        }
        return c;
      }
      return null;
    }
  }
}
