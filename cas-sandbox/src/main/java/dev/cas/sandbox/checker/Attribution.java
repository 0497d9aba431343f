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
 * Layer 1: which plugin a class belongs to, and which plugins are acting now.
 *
 * <p>A class belongs to the plugin whose loader defined it (one loader per plugin), hidden classes
 * included (a lambda's class is its plugin's). Classes of the boot, platform and application
 * loaders are the JDK's and the host's. A class of any other loader that was not registered gets
 * {@link PluginPolicy#denyAll} — a plugin cannot escape its policy by defining classes in a loader
 * of its own.
 *
 * <p>Who acts ({@link #actors}): every plugin with a frame anywhere on the stack, plus the plugins
 * the thread works for ({@link TaskContext}: the call the host runs, the task a plugin submitted,
 * the thread a plugin started). An operation is allowed only when every one of them may do it, as
 * the SecurityManager intersected protection domains: host and JDK code a plugin calls works with
 * the plugin's rights, not the host's. The walk stops at {@link PolicyRegistry#asHost} (the host
 * acting for itself, e.g. a host service a plugin called), at a JDK static initializer and at the
 * JDK's class-path reader (the JDK's business), and at the checker's own work inside a check.
 */
final class Attribution {

  /** The policy of each registered plugin loader; removed when the plugin unloads. */
  private static final Map<ClassLoader, PluginPolicy> POLICIES = new ConcurrentHashMap<>();

  /** The same, by plugin id: what a task context names. */
  private static final Map<String, PluginPolicy> BY_ID = new ConcurrentHashMap<>();

  /** Threads a host-owned factory made for a plugin (PluginTasks): they may be started. */
  private static final Set<Thread> SANCTIONED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<Thread, Boolean>()));

  /**
   * Threads plugins started ({@code threads.create}, or JDK helper threads started for them): the
   * ids of the plugins acting when each was started. Code on them acts for those plugins for good.
   */
  private static final Map<Thread, String[]> OWNERS =
      Collections.synchronizedMap(new WeakHashMap<Thread, String[]>());

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
  private static final String TASK_CONTEXT = TaskContext.class.getName();

  /** Hidden frames shown: a lambda's or a method-handle proxy's class is not skipped. */
  private static final StackWalker WALKER =
      StackWalker.getInstance(
          Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_HIDDEN_FRAMES));

  /** Hidden frames skipped: for the immediate caller past reflection and method handles. */
  private static final StackWalker CALLER_WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  static final PluginPolicy[] NONE = new PluginPolicy[0];

  private Attribution() {}

  static void register(ClassLoader loader, PluginPolicy policy) {
    POLICIES.put(loader, policy);
    BY_ID.put(policy.pluginId(), policy);
  }

  static void unregister(ClassLoader loader) {
    PluginPolicy policy = POLICIES.remove(loader);
    if (policy != null) {
      BY_ID.remove(policy.pluginId(), policy);
    }
  }

  static void sanction(Thread thread) {
    SANCTIONED.add(thread);
  }

  static boolean isSanctioned(Thread thread) {
    return SANCTIONED.contains(thread);
  }

  static void own(Thread thread, PluginPolicy[] actors) {
    OWNERS.put(thread, TaskContext.ids(actors));
  }

  /** A plugin's policy as registered now: none once it is unloaded. */
  static PluginPolicy current(String pluginId) {
    PluginPolicy policy = BY_ID.get(pluginId);
    return policy != null ? policy : PluginPolicy.denyAll(pluginId);
  }

  /** The policy registered for {@code loader}; the empty policy for any other loader. */
  static PluginPolicy policyOfLoader(ClassLoader loader) {
    PluginPolicy policy = loader == null ? null : POLICIES.get(loader);
    return policy != null
        ? policy
        : PluginPolicy.denyAll(loader == null ? "unknown:boot" : unknownId(loader));
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

  static boolean isHost(Class<?> type) {
    return type.getClassLoader() == SYSTEM;
  }

  /**
   * The plugins acting now; empty when only the host and the JDK are. Every one of them must be
   * allowed what is about to happen.
   */
  static PluginPolicy[] actors() {
    Walk walk = WALKER.walk(new Walk());
    if (walk.end != Walk.TRUSTED) {
      TaskContext.addCurrent(walk);
      if (walk.end == Walk.BOTTOM) {
        String[] owners = OWNERS.get(Thread.currentThread());
        if (owners != null) {
          for (String id : owners) {
            walk.add(current(id));
          }
        }
      }
    }
    return walk.result();
  }

  /** The first plugin acting now, or {@code null}: for operations no plugin is ever allowed. */
  static PluginPolicy firstActor() {
    PluginPolicy[] actors = actors();
    return actors.length == 0 ? null : actors[0];
  }

  /**
   * The code that called the guarded method itself, past the checker, the guarded class,
   * reflection, method-handle and hidden frames; {@code null} when there is none.
   */
  static Class<?> immediateCaller(Class<?> guarded) {
    return CALLER_WALKER.walk(new ImmediateCaller(guarded));
  }

  /**
   * The code that called the guarded method, past the checker, that one method's frame and
   * reflection and method-handle frames (the guarded class calling itself is its own caller).
   */
  static Class<?> callerOfGuarded() {
    return CALLER_WALKER.walk(CallerOfGuarded.INSTANCE);
  }

  /**
   * The policy of the code that called the guarded method itself, or {@code null} when that caller
   * is the JDK's or the host's. For class definition: the JDK's own bootstraps ({@code
   * SwitchBootstraps} for a pattern {@code switch} in plugin code) define classes with the plugin's
   * lookup on its behalf, and must keep working.
   */
  static PluginPolicy immediateCallerPolicy(Class<?> guarded) {
    Class<?> caller = immediateCaller(guarded);
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
   * The JDK's built-in loaders reading a class path ({@code URLClassPath} and its jar and directory
   * loaders: {@code File.exists}, opening a jar): the host's class path is the host's business (the
   * application loader refuses plugins itself), and a plugin loader reads its plugin's package or,
   * for an imported package, the exporting plugin's.
   */
  private static boolean isClassPathLookup(Class<?> c) {
    return c.getPackageName().equals("jdk.internal.loader")
        && c.getName().startsWith("jdk.internal.loader.URLClassPath");
  }

  private static String unknownId(ClassLoader loader) {
    return "unknown:" + (loader.getName() != null ? loader.getName() : loader.getClass().getName());
  }

  /**
   * One walk of the whole stack, from the most recent frame: the plugins whose code is on it, and
   * where the walk ended. No lambdas in the checker: a check must not bootstrap java.lang.invoke.
   */
  static final class Walk implements Function<Stream<StackWalker.StackFrame>, Walk> {
    /** The walk reached the thread's first frame: the thread's context and owner count. */
    static final int BOTTOM = 0;

    /** It stopped at the host acting as itself or running a plugin: the task context counts. */
    static final int HOST = 1;

    /** It stopped at the JDK's or the checker's own business: nothing below counts. */
    static final int TRUSTED = 2;

    int end = BOTTOM;
    private PluginPolicy[] found = NONE;
    private int count;

    void add(PluginPolicy policy) {
      for (int i = 0; i < count; i++) {
        if (found[i].pluginId().equals(policy.pluginId())) {
          return;
        }
      }
      if (count == found.length) {
        PluginPolicy[] bigger = new PluginPolicy[count + 4];
        System.arraycopy(found, 0, bigger, 0, count);
        found = bigger;
      }
      found[count++] = policy;
    }

    PluginPolicy[] result() {
      if (count == found.length) {
        return found;
      }
      PluginPolicy[] exact = new PluginPolicy[count];
      System.arraycopy(found, 0, exact, 0, count);
      return exact;
    }

    @Override
    public Walk apply(Stream<StackWalker.StackFrame> frames) {
      var it = frames.iterator();
      boolean leading = true;
      while (it.hasNext()) {
        StackWalker.StackFrame frame = it.next();
        Class<?> c = frame.getDeclaringClass();
        if (c.getPackageName().equals(OWN_PACKAGE)) {
          if (leading) {
            continue;
          }
          if (c == PolicyRegistry.class) {
            String m = frame.getMethodName();
            if (m.equals("asHost") || m.equals("runAsPlugin") || m.equals("runTaskHook")) {
              end = HOST;
              return this;
            }
          }
          if (c.getName().startsWith(TASK_CONTEXT) || c == TimerTasks.class) {
            continue; // a task's context being restored: it is in the thread's context
          }
          // The checker's own work under a guarded method (resolving a real path calls the
          // guarded toRealPath, the denial listener): already being decided one level up.
          end = TRUSTED;
          return this;
        }
        leading = false;
        if (isJdkClassInit(frame) || isClassPathLookup(c)) {
          end = TRUSTED;
          return this;
        }
        if (!isJdk(c)) {
          PluginPolicy policy = policyOf(c);
          if (policy != null) {
            add(policy);
          }
        }
      }
      return this;
    }
  }

  private static final class CallerOfGuarded
      implements Function<Stream<StackWalker.StackFrame>, Class<?>> {
    static final CallerOfGuarded INSTANCE = new CallerOfGuarded();

    @Override
    public Class<?> apply(Stream<StackWalker.StackFrame> frames) {
      var it = frames.iterator();
      boolean guardedSeen = false;
      while (it.hasNext()) {
        Class<?> c = it.next().getDeclaringClass();
        String pkg = c.getPackageName();
        if (pkg.equals(OWN_PACKAGE)) {
          continue;
        }
        if (!guardedSeen) {
          guardedSeen = true;
          continue;
        }
        if (pkg.equals("java.lang.invoke")
            || pkg.equals("java.lang.reflect")
            || pkg.equals("jdk.internal.reflect")) {
          continue;
        }
        return c;
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
