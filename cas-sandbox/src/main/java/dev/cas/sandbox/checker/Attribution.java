package dev.cas.sandbox.checker;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Layer 1: which plugin a class belongs to, and who is calling.
 *
 * <p>A class belongs to the plugin whose loader defined it (one loader per plugin). Classes of the
 * boot, platform and application loaders are the JDK's and the host's: trusted. A class of any
 * other loader that was not registered gets {@link PluginPolicy#denyAll} — a plugin cannot escape
 * its policy by defining classes in a loader of its own.
 */
final class Attribution {

  /** The policy of each registered plugin loader; removed when the plugin unloads. */
  private static final Map<ClassLoader, PluginPolicy> POLICIES = new ConcurrentHashMap<>();

  /** Threads a host-owned factory made for a plugin (PluginTasks): they may be started. */
  private static final Set<Thread> SANCTIONED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<Thread, Boolean>()));

  /**
   * Threads a plugin started itself ({@code threads.create}) and the threads those started in turn:
   * code on them with no plugin or host frame (an executor's worker, HttpClient's selector) still
   * acts for the plugin.
   */
  private static final Map<Thread, PluginPolicy> OWNERS =
      Collections.synchronizedMap(new WeakHashMap<Thread, PluginPolicy>());

  private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
  private static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();

  /** Class → plugin id; empty for trusted (JDK or host) classes. Computed once per class. */
  private static final ClassValue<Optional<String>> PLUGIN_OF =
      new ClassValue<>() {
        @Override
        protected Optional<String> computeValue(Class<?> type) {
          ClassLoader loader = type.getClassLoader();
          if (loader == null || loader == PLATFORM || loader == SYSTEM) {
            return Optional.empty();
          }
          PluginPolicy policy = POLICIES.get(loader);
          return Optional.of(policy != null ? policy.pluginId() : unknownId(loader));
        }
      };

  private static final String OWN_PACKAGE = Attribution.class.getPackageName();

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private Attribution() {}

  static void register(ClassLoader loader, PluginPolicy policy) {
    POLICIES.put(loader, policy);
  }

  static void unregister(ClassLoader loader) {
    POLICIES.remove(loader);
  }

  static void sanction(Thread thread) {
    SANCTIONED.add(thread);
  }

  static boolean isSanctioned(Thread thread) {
    return SANCTIONED.contains(thread);
  }

  static void own(Thread thread, PluginPolicy policy) {
    OWNERS.put(thread, policy);
  }

  /** The plugin that started the current thread, or {@code null}; still its current policy. */
  private static PluginPolicy ownerOfCurrentThread() {
    PluginPolicy owner = OWNERS.get(Thread.currentThread());
    if (owner == null) {
      return null;
    }
    // The plugin's policy as registered now: none once it is unloaded.
    for (PluginPolicy current : POLICIES.values()) {
      if (current.pluginId().equals(owner.pluginId())) {
        return current;
      }
    }
    return PluginPolicy.denyAll(owner.pluginId());
  }

  /** The policy of an untrusted class; {@code null} for JDK and host classes. */
  static PluginPolicy policyOf(Class<?> type) {
    Optional<String> plugin = PLUGIN_OF.get(type);
    if (plugin.isEmpty()) {
      return null;
    }
    PluginPolicy policy = POLICIES.get(type.getClassLoader());
    // An unloaded plugin's leftover code, or an unknown loader: nothing allowed.
    return policy != null ? policy : PluginPolicy.denyAll(plugin.get());
  }

  static boolean isJdk(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    return loader == null || loader == PLATFORM;
  }

  /**
   * The policy of the first caller frame that is not the JDK's, or {@code null} when that frame is
   * the host's. For frequent operations (files, network): the code that asked the JDK decides.
   */
  static PluginPolicy callerPolicy() {
    Class<?> caller = WALKER.walk(FirstNonJdk.INSTANCE);
    if (caller == JDK_CLASS_INIT) {
      return null;
    }
    // Only JDK frames: a thread the JDK runs for everyone, or one a plugin started.
    return caller == null ? ownerOfCurrentThread() : policyOf(caller);
  }

  /**
   * The policy of the most recent untrusted frame anywhere on the stack, or {@code null} when all
   * frames are the JDK's or the host's. For rare, catastrophic operations: a plugin cannot launder
   * them through host or JDK code it calls.
   */
  static PluginPolicy anyUntrustedFramePolicy() {
    Class<?> untrusted = WALKER.walk(FirstUntrusted.INSTANCE);
    if (untrusted == JDK_CLASS_INIT) {
      return null;
    }
    return untrusted == null ? ownerOfCurrentThread() : policyOf(untrusted);
  }

  /**
   * The policy of the code that called the guarded method itself, past reflection and method-handle
   * frames, or {@code null} when that caller is the JDK's or the host's. For class definition: the
   * JDK's own bootstraps ({@code SwitchBootstraps} for a pattern {@code switch} in plugin code)
   * define classes with the plugin's lookup on its behalf, and must keep working.
   */
  static PluginPolicy immediateCallerPolicy(Class<?> guarded) {
    Class<?> caller = WALKER.walk(new ImmediateCaller(guarded));
    return caller == null || isJdk(caller) ? null : policyOf(caller);
  }

  /**
   * A JDK class initializing itself (it loads its native library, starts its helper thread): what
   * it does is the JDK's, whoever touched the class first. Denying it would leave the class
   * unusable for the whole JVM ({@code NoClassDefFoundError}).
   */
  private static boolean isJdkClassInit(StackWalker.StackFrame frame) {
    return frame.getMethodName().equals("<clinit>") && isJdk(frame.getDeclaringClass());
  }

  /**
   * What the walkers return for a JDK static initializer or a class-path lookup: the JDK's
   * business.
   */
  private static final Class<?> JDK_CLASS_INIT = Void.class;

  private static String unknownId(ClassLoader loader) {
    return "unknown:" + (loader.getName() != null ? loader.getName() : loader.getClass().getName());
  }

  /** No lambdas in the checker: a check must not bootstrap java.lang.invoke. */
  private static final class FirstNonJdk
      implements Function<Stream<StackWalker.StackFrame>, Class<?>> {
    static final FirstNonJdk INSTANCE = new FirstNonJdk();

    @Override
    public Class<?> apply(Stream<StackWalker.StackFrame> frames) {
      var it = frames.iterator();
      boolean leading = true;
      while (it.hasNext()) {
        StackWalker.StackFrame frame = it.next();
        Class<?> c = frame.getDeclaringClass();
        if (!isJdk(c)) {
          return c;
        }
        if (c.getPackageName().equals(OWN_PACKAGE)) {
          if (!leading) {
            // The checker's own work under a guarded method (resolving a real path calls the
            // guarded toRealPath): already being decided one level up.
            return JDK_CLASS_INIT;
          }
          continue;
        }
        leading = false;
        if (isJdkClassInit(frame) || isClassPathLookup(c)) {
          return JDK_CLASS_INIT;
        }
      }
      return null;
    }
  }

  /**
   * The JDK's built-in loaders reading the host's class path ({@code URLClassPath} and its jar and
   * directory loaders: {@code File.exists}, opening a jar) when plugin code asks the application
   * loader for a class or resource: the host's class path is the host's business, and what it finds
   * is what the plugin's own loader finds through its parents. Files only.
   */
  private static boolean isClassPathLookup(Class<?> c) {
    return c.getPackageName().equals("jdk.internal.loader")
        && c.getName().startsWith("jdk.internal.loader.URLClassPath");
  }

  private static final class FirstUntrusted
      implements Function<Stream<StackWalker.StackFrame>, Class<?>> {
    static final FirstUntrusted INSTANCE = new FirstUntrusted();

    @Override
    public Class<?> apply(Stream<StackWalker.StackFrame> frames) {
      var it = frames.iterator();
      while (it.hasNext()) {
        StackWalker.StackFrame frame = it.next();
        Class<?> c = frame.getDeclaringClass();
        if (isJdkClassInit(frame)) {
          return JDK_CLASS_INIT;
        }
        if (!isJdk(c) && PLUGIN_OF.get(c).isPresent()) {
          return c;
        }
      }
      return null;
    }
  }

  /** The first frame past the checker, the guarded class and reflection/method-handle frames. */
  private static final class ImmediateCaller
      implements Function<Stream<StackWalker.StackFrame>, Class<?>> {
    private final Class<?> guarded;

    ImmediateCaller(Class<?> guarded) {
      this.guarded = guarded;
    }

    @Override
    public Class<?> apply(Stream<StackWalker.StackFrame> frames) {
      var it = frames.iterator();
      while (it.hasNext()) {
        Class<?> c = it.next().getDeclaringClass();
        String pkg = c.getPackageName();
        if (c == guarded
            || pkg.equals(OWN_PACKAGE)
            || pkg.equals("java.lang.invoke")
            || pkg.equals("java.lang.reflect")
            || pkg.equals("jdk.internal.reflect")) {
          continue;
        }
        return c;
      }
      return null;
    }
  }
}
