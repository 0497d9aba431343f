package dev.cas.runtime;

import dev.cas.packaging.CompatibilityChecker;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageException;
import dev.cas.packaging.PluginPackage;
import dev.cas.plugin.api.EventBus;
import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginState;
import dev.cas.runtime.PluginRuntimeException.Reason;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** The runtime: a registry of {@link LoadedPlugin}s changed under one lock. */
final class DefaultPluginRuntime implements PluginRuntime {

  private final RuntimeOptions options;
  private final LifecycleCalls calls;
  private final PluginLoader loader;
  private final Map<String, LoadedPlugin> plugins = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final RouteTable routes = new RouteTable();
  private final HostEventBus events = new HostEventBus();
  private final LeakDetector leaks = new LeakDetector();
  private final PluginCalls pluginCalls;
  private final Map<ClassLoader, PluginMeter> meters = new ConcurrentHashMap<>();

  DefaultPluginRuntime(RuntimeOptions options) {
    this.options = options;
    this.calls = new LifecycleCalls(options.lifecycleTimeout());
    this.loader = new PluginLoader(plugins::get);
    this.pluginCalls = new PluginCalls(options.calls().watchdogPeriod());
  }

  @Override
  public PluginInfo install(PluginPackage pkg) {
    lock.lock();
    try {
      String id = pkg.manifest().id();
      if (plugins.containsKey(id)) {
        throw new PluginRuntimeException(
            Reason.ALREADY_INSTALLED,
            id,
            "plugin ["
                + id
                + "] is installed already (version "
                + plugins.get(id).manifest.version()
                + "); upgrade it instead");
      }
      LoadedPlugin p = start(pkg);
      plugins.put(id, p);
      if (p.manifest.status() == Manifest.DesiredStatus.ACTIVE) {
        activateLoaded(p);
      }
      return info(p);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<PluginInfo> installAll(List<PluginPackage> packages) {
    Map<String, PluginPackage> byId = new LinkedHashMap<>();
    packages.forEach(p -> byId.put(p.manifest().id(), p));
    List<PluginInfo> installed = new ArrayList<>();
    for (Manifest m :
        DependencyGraph.startOrder(packages.stream().map(PluginPackage::manifest).toList())) {
      installed.add(install(byId.get(m.id())));
    }
    return installed;
  }

  /**
   * Checks, loads, constructs and initializes a plugin without registering it. On any failure
   * everything it got is released and the loader closed.
   */
  private LoadedPlugin start(PluginPackage pkg) {
    Manifest manifest = pkg.manifest();
    checkCompatibility(manifest);
    PluginMeter meter =
        new PluginMeter(
            manifest.id(),
            options.calls(),
            CallBudget.of(manifest, options.calls().routeDeadline()),
            this::onRepeatedOffence);
    LoadedPlugin p = loader.load(pkg, options.services(), meter);
    meters.put(p.loader, meter);
    pluginCalls.watch(meter);
    try {
      transition(p, PluginState.RESOLVED, null);
      if (manifest.main().isPresent()) {
        p.instance = construct(p, manifest.main().get());
        p.context = newContext(p);
        callPlugin(
            p,
            "initialize",
            Reason.INITIALIZE_FAILED,
            () -> {
              p.instance.initialize(p.context);
              return null;
            });
      }
      transition(p, PluginState.INITIALIZED, null);
      return p;
    } catch (RuntimeException e) {
      release(p, e);
      throw e;
    }
  }

  private void checkCompatibility(Manifest manifest) {
    Map<String, String> active = new TreeMap<>();
    plugins.values().stream()
        .filter(p -> p.state == PluginState.ACTIVE)
        .forEach(p -> active.put(p.id(), p.manifest.version()));
    Map<String, String> installed = new TreeMap<>();
    plugins.values().forEach(p -> installed.put(p.id(), p.manifest.version()));
    CompatibilityChecker.Host h = options.host();
    CompatibilityChecker.Host host =
        new CompatibilityChecker.Host(h.casVersion(), h.javaFeature(), h.apiModules(), active);
    List<CompatibilityChecker.Incompatibility> problems =
        CompatibilityChecker.check(manifest, host);
    if (problems.isEmpty()) {
      return;
    }
    CompatibilityChecker.Incompatibility first = problems.getFirst();
    Reason reason =
        switch (first.reason()) {
          case DEPENDENCY_UNSATISFIED ->
              installed.containsKey(first.subject()) && active.containsKey(first.subject())
                  ? Reason.DEPENDENCY_VERSION
                  : Reason.DEPENDENCY_MISSING;
          default -> Reason.INCOMPATIBLE;
        };
    String detail = String.join("; ", problems.stream().map(this::describe).toList());
    throw new PluginRuntimeException(
        reason, manifest.id(), "plugin [" + manifest.id() + "] cannot start: " + detail);
  }

  private String describe(CompatibilityChecker.Incompatibility i) {
    if (i.reason() == PackageException.Reason.DEPENDENCY_UNSATISFIED
        && i.found().equals("(none)")) {
      LoadedPlugin installed = plugins.get(i.subject());
      return installed == null
          ? "requires plugin [" + i.subject() + "] " + i.required() + ", which is not installed"
          : "requires plugin ["
              + i.subject()
              + "] "
              + i.required()
              + ", which is "
              + installed.state.name().toLowerCase(java.util.Locale.ROOT);
    }
    if (i.reason() == PackageException.Reason.DEPENDENCY_UNSATISFIED) {
      return "requires plugin ["
          + i.subject()
          + "] "
          + i.required()
          + ", but version "
          + i.found()
          + " is installed";
    }
    return i.describe();
  }

  private Plugin construct(LoadedPlugin p, String mainClass) {
    Class<?> type;
    try {
      type = Class.forName(mainClass, false, p.loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new PluginRuntimeException(
          Reason.MAIN_CLASS_NOT_FOUND,
          p.id(),
          "plugin ["
              + p.id()
              + "] main class ["
              + mainClass
              + "] cannot be loaded: "
              + e.getMessage(),
          e);
    }
    if (!Plugin.class.isAssignableFrom(type)) {
      throw new PluginRuntimeException(
          Reason.NOT_A_PLUGIN,
          p.id(),
          "plugin ["
              + p.id()
              + "] main class ["
              + mainClass
              + "] does not implement "
              + Plugin.class.getName());
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new PluginRuntimeException(
          Reason.CONSTRUCTOR_FAILED,
          p.id(),
          "plugin ["
              + p.id()
              + "] main class ["
              + mainClass
              + "] has no public no-argument constructor",
          e);
    }
    return callPlugin(
        p, "constructor", Reason.CONSTRUCTOR_FAILED, () -> (Plugin) constructor.newInstance());
  }

  /**
   * Runs plugin code with the timeout; a failure names the plugin, its main class and the cause.
   */
  private <T> T callPlugin(LoadedPlugin p, String step, Reason onFailure, Callable<T> body) {
    return calls.call(p.meter, p.manifest.main().orElse("(none)"), step, p.loader, onFailure, body);
  }

  private PluginContextImpl newContext(LoadedPlugin p) {
    return new PluginContextImpl(
        p.manifest,
        p.config,
        p.scope,
        p.routes,
        events,
        options.services(),
        p.tasks,
        this::exportedService,
        (event, listener) ->
            pluginCalls.event(
                p.meter,
                "event [" + event.name() + "]",
                p.loader,
                () -> {
                  listener.accept(event);
                  return null;
                }));
  }

  @Override
  public HttpRoutes.Response callRoute(RouteTable.Match match, HttpRoutes.Request request) {
    PluginMeter meter = meters.get(match.loader());
    if (meter == null) {
      // An upgrade unloaded the version this request matched a moment ago.
      meter = get(match.pluginId()).meter;
    }
    return pluginCalls.route(
        meter,
        request.method() + " " + request.path(),
        match.loader(),
        () -> match.handler().handle(request));
  }

  @Override
  public Optional<PluginUsage> usage(String id) {
    return Optional.ofNullable(plugins.get(id)).map(p -> p.meter.usage());
  }

  /**
   * A plugin broke its deadline or budgets too often: it is deactivated (with the plugins that
   * depend on it), the reason kept as its failure and published with {@code host:plugin:inactive}.
   * Runs on its own thread: the call that made the last strike may hold nothing the runtime's lock
   * waits for.
   */
  private void onRepeatedOffence(PluginMeter meter, String why) {
    Thread.ofVirtual()
        .name("cas-budget-" + meter.pluginId())
        .start(
            () -> {
              lock.lock();
              try {
                LoadedPlugin p = plugins.get(meter.pluginId());
                if (p == null || p.meter != meter || p.state != PluginState.ACTIVE) {
                  return;
                }
                String reason = "deactivated by the host: " + why;
                for (String dependent : activeDependents(p, true, "deactivate")) {
                  deactivateLoaded(plugins.get(dependent), null);
                }
                deactivateLoaded(p, reason);
              } catch (RuntimeException e) {
                System.getLogger(DefaultPluginRuntime.class.getName())
                    .log(
                        System.Logger.Level.WARNING,
                        "deactivating plugin [" + meter.pluginId() + "] over budget failed",
                        e);
              } finally {
                lock.unlock();
              }
            });
  }

  private <S> Optional<S> exportedService(String pluginId, Class<S> type) {
    LoadedPlugin p = plugins.get(pluginId);
    if (p == null || p.state != PluginState.ACTIVE || p.context == null) {
      return Optional.empty();
    }
    Object service = p.context.exportedServices().get(type);
    return type.isInstance(service) ? Optional.of(type.cast(service)) : Optional.empty();
  }

  @Override
  public PluginInfo activate(String id) {
    lock.lock();
    try {
      LoadedPlugin p = get(id);
      if (p.state == PluginState.ACTIVE) {
        return info(p);
      }
      if (p.state != PluginState.INITIALIZED
          && p.state != PluginState.INACTIVE
          && p.state != PluginState.FAILED) {
        throw illegal(p, "activate");
      }
      if (p.state == PluginState.FAILED && p.instance == null && p.manifest.main().isPresent()) {
        throw illegal(p, "activate");
      }
      checkCompatibility(p.manifest);
      activateLoaded(p);
      return info(p);
    } finally {
      lock.unlock();
    }
  }

  private void activateLoaded(LoadedPlugin p) {
    if (p.instance != null) {
      try {
        callPlugin(
            p,
            "activate",
            Reason.ACTIVATE_FAILED,
            () -> {
              p.instance.activate();
              return null;
            });
      } catch (PluginRuntimeException e) {
        transition(p, PluginState.FAILED, e.getMessage());
        throw e;
      }
    }
    routes.publish(p.id(), p.routes);
    p.meter.forgive();
    transition(p, PluginState.ACTIVE, null);
  }

  @Override
  public List<String> deactivate(String id, boolean force) {
    lock.lock();
    try {
      LoadedPlugin p = get(id);
      List<String> stopped = new ArrayList<>();
      for (String dependent : activeDependents(p, force, "deactivate")) {
        deactivateLoaded(plugins.get(dependent));
        stopped.add(dependent);
      }
      if (p.state == PluginState.ACTIVE) {
        deactivateLoaded(p);
      }
      stopped.add(id);
      return stopped;
    } finally {
      lock.unlock();
    }
  }

  private List<String> activeDependents(LoadedPlugin p, boolean force, String action) {
    List<String> dependents =
        DependencyGraph.dependentsOf(
                p.id(), plugins.values().stream().map(lp -> lp.manifest).toList())
            .stream()
            .filter(d -> plugins.get(d).state == PluginState.ACTIVE)
            .toList();
    if (!dependents.isEmpty() && !force) {
      throw new PluginRuntimeException(
          Reason.HAS_DEPENDENTS,
          p.id(),
          "cannot "
              + action
              + " plugin ["
              + p.id()
              + "]: active plugins "
              + dependents
              + " depend on it (force to "
              + action
              + " them too)");
    }
    return dependents;
  }

  private void deactivateLoaded(LoadedPlugin p) {
    deactivateLoaded(p, null);
  }

  /**
   * @param budgetReason why the host deactivates it over its budgets, or null for an operator's
   *     deactivation
   */
  private void deactivateLoaded(LoadedPlugin p, String budgetReason) {
    routes.unpublish(p.id(), p.routes);
    try {
      if (p.instance != null) {
        callPlugin(
            p,
            "deactivate",
            Reason.DEACTIVATE_FAILED,
            () -> {
              p.instance.deactivate();
              return null;
            });
      }
      p.tasks.close();
      p.meter.releaseThreads();
      transition(p, PluginState.INACTIVE, budgetReason, budgetReason != null);
    } catch (PluginRuntimeException e) {
      transition(p, PluginState.FAILED, e.getMessage());
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      transition(p, PluginState.FAILED, "interrupted while stopping tasks");
    }
  }

  @Override
  public List<String> uninstall(String id, boolean force) {
    lock.lock();
    try {
      LoadedPlugin p = get(id);
      List<String> dependents =
          installedDependents(id, force, "uninstall", "(force to uninstall them too)");
      List<String> removed = new ArrayList<>();
      for (String d : dependents) {
        remove(plugins.get(d));
        removed.add(d);
      }
      remove(p);
      removed.add(id);
      return removed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The installed plugins that depend on {@code id}, in stop order; refused unless {@code force}.
   */
  private List<String> installedDependents(String id, boolean force, String action, String hint) {
    List<String> dependents =
        DependencyGraph.dependentsOf(id, plugins.values().stream().map(lp -> lp.manifest).toList());
    if (!dependents.isEmpty() && !force) {
      throw new PluginRuntimeException(
          Reason.HAS_DEPENDENTS,
          id,
          "cannot "
              + action
              + " plugin ["
              + id
              + "]: installed plugins "
              + dependents
              + " depend on it "
              + hint);
    }
    return dependents;
  }

  /** Stops, uninstalls and unloads one plugin; every step runs even when an earlier one fails. */
  private void remove(LoadedPlugin p) {
    RuntimeException failure = null;
    if (p.state == PluginState.ACTIVE) {
      try {
        deactivateLoaded(p);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (p.instance != null) {
      try {
        callPlugin(
            p,
            "uninstall",
            Reason.ILLEGAL_STATE,
            () -> {
              p.instance.uninstall();
              return null;
            });
      } catch (RuntimeException e) {
        failure = chain(failure, e);
      }
    }
    plugins.remove(p.id(), p);
    transition(p, PluginState.UNINSTALLED, failure == null ? null : failure.getMessage());
    release(p, failure);
  }

  private static RuntimeException chain(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** Releases what a plugin instance holds and closes its loader; records it for leak checks. */
  private void release(LoadedPlugin p, Throwable failure) {
    // The route set is unpublished, not cleared: a request that looked it up just before an upgrade
    // switched the routes still finds its handler.
    routes.unpublish(p.id(), p.routes);
    p.config.clearListeners();
    try {
      p.tasks.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      p.scope.close();
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
    if (p.context != null) {
      p.context.exportedServices().clear();
    }
    p.instance = null;
    p.context = null;
    try {
      p.loader.close();
    } catch (java.io.IOException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
    SandboxBridge.unregister(p.loader);
    meters.remove(p.loader, p.meter);
    pluginCalls.unwatch(p.meter);
    leaks.watch(p.id(), p.loader);
  }

  @Override
  public PluginInfo upgrade(PluginPackage pkg, boolean force) {
    lock.lock();
    try {
      String id = pkg.manifest().id();
      LoadedPlugin old = get(id);
      List<String> dependents =
          installedDependents(
              id,
              force,
              "upgrade",
              "and load its classes (force to reload them on the new version)");
      List<PluginPackage> reload = new ArrayList<>();
      for (String d : dependents) {
        reload.add(0, plugins.get(d).pkg);
      }
      boolean activateFresh =
          old.state == PluginState.ACTIVE
              || pkg.manifest().status() == Manifest.DesiredStatus.ACTIVE;
      // Blue-green: the new version loads, initializes and activates beside the old one, which
      // keeps serving. Publishing the new routes is the switch; only then does the old one go.
      LoadedPlugin fresh = start(pkg);
      if (activateFresh) {
        try {
          activateLoaded(fresh);
        } catch (RuntimeException e) {
          release(fresh, e);
          throw e;
        }
      }
      for (String d : dependents) {
        remove(plugins.get(d));
      }
      plugins.put(id, fresh);
      remove(old);
      for (PluginPackage d : reload) {
        install(d);
      }
      return info(fresh);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public PluginInfo configure(String id, Map<String, Object> values) {
    lock.lock();
    try {
      LoadedPlugin p = get(id);
      List<String> problems = ConfigValidator.problems(p.manifest, values);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid configuration for plugin [" + id + "]: " + String.join("; ", problems));
      }
      p.config.replace(ConfigValidator.withDefaults(p.manifest, values));
      return info(p);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public HealthStatus health(String id) {
    LoadedPlugin p = get(id);
    Plugin instance = p.instance;
    if (p.state != PluginState.ACTIVE) {
      return HealthStatus.unhealthy(
          "plugin is " + p.state.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (instance == null || !overridesHealth(instance.getClass())) {
      // Plugin.health()'s default answers ok without plugin code: no thread needed for it.
      return HealthStatus.ok();
    }
    try {
      return callPlugin(p, "health", Reason.ILLEGAL_STATE, instance::health);
    } catch (PluginRuntimeException e) {
      return HealthStatus.unhealthy(e.getMessage());
    }
  }

  private static final ClassValue<Boolean> OVERRIDES_HEALTH =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          try {
            return type.getMethod("health").getDeclaringClass() != Plugin.class;
          } catch (NoSuchMethodException e) {
            return true;
          }
        }
      };

  private static boolean overridesHealth(Class<?> type) {
    return OVERRIDES_HEALTH.get(type);
  }

  @Override
  public Optional<PluginInfo> find(String id) {
    return Optional.ofNullable(plugins.get(id)).map(this::info);
  }

  @Override
  public Optional<PluginPackage> packageOf(String id) {
    return Optional.ofNullable(plugins.get(id)).map(p -> p.pkg);
  }

  @Override
  public List<PluginInfo> list() {
    return new TreeMap<>(plugins).values().stream().map(this::info).toList();
  }

  @Override
  public RouteTable routes() {
    return routes;
  }

  @Override
  public HostEventBus events() {
    return events;
  }

  @Override
  public LeakDetector leakDetector() {
    return leaks;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      List<Manifest> order =
          DependencyGraph.startOrder(plugins.values().stream().map(p -> p.manifest).toList());
      for (int i = order.size() - 1; i >= 0; i--) {
        LoadedPlugin p = plugins.get(order.get(i).id());
        if (p != null) {
          remove(p);
        }
      }
    } finally {
      lock.unlock();
      pluginCalls.close();
      events.close();
    }
  }

  private LoadedPlugin get(String id) {
    LoadedPlugin p = plugins.get(id);
    if (p == null) {
      throw new PluginRuntimeException(
          Reason.NOT_INSTALLED, id, "plugin [" + id + "] is not installed");
    }
    return p;
  }

  private static PluginRuntimeException illegal(LoadedPlugin p, String action) {
    return new PluginRuntimeException(
        Reason.ILLEGAL_STATE,
        p.id(),
        "cannot "
            + action
            + " plugin ["
            + p.id()
            + "] in state "
            + p.state
            + p.failure().map(f -> " (" + f + ")").orElse(""));
  }

  private void transition(LoadedPlugin p, PluginState to, String reason) {
    transition(p, to, reason, false);
  }

  /**
   * @param overBudget the host deactivates it for its resource use; the event's payload says so
   *     ({@code "budget": true}) for the audit trail
   */
  private void transition(LoadedPlugin p, PluginState to, String reason, boolean overBudget) {
    PluginState from = p.state;
    p.state = to;
    p.failure = to == PluginState.FAILED || reason != null ? reason : null;
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", p.id());
    payload.put("version", p.manifest.version());
    payload.put("from", from.name());
    payload.put("to", to.name());
    if (reason != null) {
      payload.put("reason", reason);
    }
    if (overBudget) {
      payload.put("budget", true);
    }
    events.publish(
        new EventBus.Event(
            "host:plugin:" + to.name().toLowerCase(java.util.Locale.ROOT),
            "host",
            payload,
            System.currentTimeMillis()));
  }

  private PluginInfo info(LoadedPlugin p) {
    List<String> dependents =
        DependencyGraph.dependentsOf(
            p.id(), plugins.values().stream().map(lp -> lp.manifest).toList());
    return new PluginInfo(
        p.id(), p.manifest.version(), p.state, p.failure(), p.manifest, dependents);
  }
}
