package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The runtime: installs, starts, stops, upgrades and removes {@link LoadedPlugin}s under the
 * registry's lock ({@link LoadedPlugins}), moving them along the lifecycle ({@link
 * LifecycleTransitions}) within the dependency rules ({@link DependencyRules}); a plugin over its
 * budgets is stopped by {@link BudgetEnforcement}.
 */
final class DefaultPluginRuntime implements PluginRuntime {

  private final RuntimeOptions options;
  private final LifecycleCalls calls;
  private final PluginLoader loader;
  private final LoadedPlugins plugins = new LoadedPlugins();
  private final RouteTable routes = new RouteTable();
  private final HostEventBus events = new HostEventBus();
  private final LeakDetector leaks = new LeakDetector();
  private final PluginCalls pluginCalls;
  private final Map<ClassLoader, PluginMeter> meters = new ConcurrentHashMap<>();
  private final LifecycleTransitions lifecycle = new LifecycleTransitions(events);
  private final DependencyRules dependencies;
  private final BudgetEnforcement budgets;

  DefaultPluginRuntime(RuntimeOptions options) {
    this.options = options;
    this.calls = new LifecycleCalls(options.lifecycleTimeout());
    this.loader = new PluginLoader(plugins::getOrNull);
    this.dependencies = new DependencyRules(plugins, options.host());
    this.budgets = new BudgetEnforcement(plugins, dependencies, this::deactivateLoaded);
    this.pluginCalls = new PluginCalls(options.calls().watchdogPeriod());
    PoolWork.install();
  }

  @Override
  public PluginInfo install(PluginPackage pkg) {
    plugins.lock().lock();
    try {
      String id = pkg.manifest().id();
      if (plugins.contains(id)) {
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
      plugins.put(p);
      if (p.manifest.status() == Manifest.DesiredStatus.ACTIVE) {
        activateLoaded(p);
      }
      return plugins.info(p);
    } finally {
      plugins.lock().unlock();
    }
  }

  @Override
  public List<PluginInfo> installAll(List<PluginPackage> packages) {
    StartReport report = startAll(packages);
    if (!report.failures().isEmpty()) {
      List<RuntimeException> failures = List.copyOf(report.failures().values());
      RuntimeException first = failures.getFirst();
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
    return report.installed();
  }

  @Override
  public StartReport startAll(List<PluginPackage> packages) {
    Map<String, PluginPackage> byId = new LinkedHashMap<>();
    packages.forEach(p -> byId.put(p.manifest().id(), p));
    // Each plugin's wave is one more than its latest dependency's among these: a wave's plugins
    // depend only on plugins of earlier waves, so they start side by side.
    Map<String, Integer> wave = new LinkedHashMap<>();
    List<List<PluginPackage>> waves = new ArrayList<>();
    for (Manifest m :
        DependencyGraph.startOrder(packages.stream().map(PluginPackage::manifest).toList())) {
      int w = 0;
      for (String dep : DependencyGraph.pluginDependencies(m)) {
        if (wave.containsKey(dep)) {
          w = Math.max(w, wave.get(dep) + 1);
        }
      }
      wave.put(m.id(), w);
      if (waves.size() <= w) {
        waves.add(new ArrayList<>());
      }
      waves.get(w).add(byId.get(m.id()));
    }
    List<PluginInfo> installed = new ArrayList<>();
    Map<String, RuntimeException> failures = new LinkedHashMap<>();
    int threads =
        Math.max(1, Math.min(packages.size(), Runtime.getRuntime().availableProcessors()));
    plugins.lock().lock();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads, startThreads())) {
      for (List<PluginPackage> ready : waves) {
        Map<String, Future<LoadedPlugin>> starting = new LinkedHashMap<>();
        for (PluginPackage pkg : ready) {
          String id = pkg.manifest().id();
          Optional<String> failedDependency =
              DependencyGraph.pluginDependencies(pkg.manifest()).stream()
                  .filter(failures::containsKey)
                  .findFirst();
          if (failedDependency.isPresent()) {
            failures.put(
                id,
                new PluginRuntimeException(
                    Reason.DEPENDENCY_MISSING,
                    id,
                    "plugin ["
                        + id
                        + "] depends on plugin ["
                        + failedDependency.get()
                        + "], which failed to start"));
          } else if (plugins.contains(id)) {
            failures.put(
                id,
                new PluginRuntimeException(
                    Reason.ALREADY_INSTALLED,
                    id,
                    "plugin [" + id + "] is installed already; upgrade it instead"));
          } else {
            starting.put(id, pool.submit(() -> start(pkg)));
          }
        }
        for (Map.Entry<String, Future<LoadedPlugin>> e : starting.entrySet()) {
          LoadedPlugin p;
          try {
            p = e.getValue().get();
          } catch (ExecutionException failure) {
            failures.put(
                e.getKey(),
                failure.getCause() instanceof RuntimeException re
                    ? re
                    : new IllegalStateException(failure.getCause()));
            continue;
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting plugins", interrupted);
          }
          plugins.put(p);
          if (p.manifest.status() == Manifest.DesiredStatus.ACTIVE) {
            try {
              activateLoaded(p);
            } catch (RuntimeException failure) {
              // Installed as FAILED with the reason (as install does); its dependents stay out.
              failures.put(e.getKey(), failure);
              installed.add(plugins.info(p));
              continue;
            }
          }
          installed.add(plugins.info(p));
        }
      }
    } finally {
      plugins.lock().unlock();
    }
    return new StartReport(installed, failures);
  }

  private static java.util.concurrent.ThreadFactory startThreads() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "cas-plugin-start-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Checks, loads, constructs and initializes a plugin without registering it. On any failure
   * everything it got is released and the loader closed.
   */
  private LoadedPlugin start(PluginPackage pkg) {
    Manifest manifest = pkg.manifest();
    dependencies.requireStartable(manifest);
    PluginMeter meter =
        new PluginMeter(
            manifest.id(),
            options.calls(),
            CallBudget.of(manifest, options.calls().routeDeadline()),
            budgets::onRepeatedOffence,
            options.attribution());
    PoolWork.register(meter);
    LoadedPlugin p;
    try {
      p = loader.load(pkg, options.services(), meter);
    } catch (RuntimeException | Error e) {
      PoolWork.unregister(meter);
      throw e;
    }
    meters.put(p.loader, meter);
    pluginCalls.watch(meter);
    try {
      lifecycle.move(p, PluginState.RESOLVED, null);
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
      lifecycle.move(p, PluginState.INITIALIZED, null);
      return p;
    } catch (RuntimeException e) {
      release(p, e);
      throw e;
    }
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
      meter = plugins.get(match.pluginId()).meter;
    }
    return pluginCalls.route(
        meter,
        request.method() + " " + request.path(),
        match.loader(),
        () -> match.handler().handle(request));
  }

  @Override
  public Optional<PluginUsage> usage(String id) {
    return plugins.find(id).map(p -> p.meter.usage());
  }

  private <S> Optional<S> exportedService(String pluginId, Class<S> type) {
    LoadedPlugin p = plugins.getOrNull(pluginId);
    if (p == null || p.state != PluginState.ACTIVE || p.context == null) {
      return Optional.empty();
    }
    Object service = p.context.exportedServices().get(type);
    return type.isInstance(service) ? Optional.of(type.cast(service)) : Optional.empty();
  }

  @Override
  public PluginInfo activate(String id) {
    plugins.lock().lock();
    try {
      LoadedPlugin p = plugins.get(id);
      if (p.state == PluginState.ACTIVE) {
        return plugins.info(p);
      }
      if (p.state != PluginState.INITIALIZED
          && p.state != PluginState.INACTIVE
          && p.state != PluginState.FAILED) {
        throw LifecycleTransitions.illegal(p, "activate");
      }
      if (p.state == PluginState.FAILED && p.instance == null && p.manifest.main().isPresent()) {
        throw LifecycleTransitions.illegal(p, "activate");
      }
      dependencies.requireStartable(p.manifest);
      activateLoaded(p);
      return plugins.info(p);
    } finally {
      plugins.lock().unlock();
    }
  }

  private void activateLoaded(LoadedPlugin p) {
    p.meter.pool().open();
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
        lifecycle.move(p, PluginState.FAILED, e.getMessage());
        throw e;
      }
    }
    routes.publish(p.id(), p.routes);
    p.meter.forgive();
    lifecycle.move(p, PluginState.ACTIVE, null);
  }

  @Override
  public List<String> deactivate(String id, boolean force) {
    plugins.lock().lock();
    try {
      LoadedPlugin p = plugins.get(id);
      List<String> stopped = new ArrayList<>();
      for (String dependent : dependencies.activeDependents(p, force, "deactivate")) {
        deactivateLoaded(plugins.get(dependent));
        stopped.add(dependent);
      }
      if (p.state == PluginState.ACTIVE) {
        deactivateLoaded(p);
      }
      stopped.add(id);
      return stopped;
    } finally {
      plugins.lock().unlock();
    }
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
      // Its work queued on the common pool, CompletableFuture's, a host's or the JDK's timers: not
      // run from now on (counted as cancelled), and what runs now is interrupted.
      p.meter.pool().close("the plugin stops");
      p.meter.releaseThreads();
      lifecycle.move(p, PluginState.INACTIVE, budgetReason, budgetReason != null);
    } catch (PluginRuntimeException e) {
      lifecycle.move(p, PluginState.FAILED, e.getMessage());
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lifecycle.move(p, PluginState.FAILED, "interrupted while stopping tasks");
    }
  }

  @Override
  public PluginInfo fail(String id, String reason) {
    plugins.lock().lock();
    try {
      LoadedPlugin p = plugins.get(id);
      if (p.state == PluginState.ACTIVE) {
        deactivateLoaded(p);
      }
      if (p.state == PluginState.FAILED) {
        p.failure = reason; // the last failure (e.g. of activate) gives way to the host's reason
      } else {
        lifecycle.move(p, PluginState.FAILED, reason);
      }
      return plugins.info(p);
    } finally {
      plugins.lock().unlock();
    }
  }

  @Override
  public List<String> uninstall(String id, boolean force) {
    plugins.lock().lock();
    try {
      LoadedPlugin p = plugins.get(id);
      List<String> dependents =
          dependencies.installedDependents(id, force, "uninstall", "(force to uninstall them too)");
      List<String> removed = new ArrayList<>();
      for (String d : dependents) {
        remove(plugins.get(d));
        removed.add(d);
      }
      remove(p);
      removed.add(id);
      return removed;
    } finally {
      plugins.lock().unlock();
    }
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
      // Its uninstall may use the common pool (a parallel stream): open while it runs.
      p.meter.pool().open();
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
      } finally {
        p.meter.pool().close("the plugin is uninstalled");
      }
    }
    plugins.remove(p);
    lifecycle.move(p, PluginState.UNINSTALLED, failure == null ? null : failure.getMessage());
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
    p.meter.pool().close("the plugin is unloaded");
    PoolWork.unregister(p.meter);
    meters.remove(p.loader, p.meter);
    pluginCalls.unwatch(p.meter);
    leaks.watch(p.id(), p.loader);
  }

  @Override
  public PluginInfo upgrade(PluginPackage pkg, boolean force) {
    plugins.lock().lock();
    try {
      String id = pkg.manifest().id();
      LoadedPlugin old = plugins.get(id);
      List<String> dependents =
          dependencies.installedDependents(
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
      plugins.put(fresh);
      remove(old);
      for (PluginPackage d : reload) {
        install(d);
      }
      return plugins.info(fresh);
    } finally {
      plugins.lock().unlock();
    }
  }

  @Override
  public PluginInfo configure(String id, Map<String, Object> values) {
    plugins.lock().lock();
    try {
      LoadedPlugin p = plugins.get(id);
      List<String> problems = ConfigValidator.problems(p.manifest, values);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid configuration for plugin [" + id + "]: " + String.join("; ", problems));
      }
      p.config.replace(ConfigValidator.withDefaults(p.manifest, values));
      return plugins.info(p);
    } finally {
      plugins.lock().unlock();
    }
  }

  @Override
  public HealthStatus health(String id) {
    LoadedPlugin p = plugins.get(id);
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
    return plugins.find(id).map(plugins::info);
  }

  @Override
  public Optional<PluginPackage> packageOf(String id) {
    return plugins.find(id).map(p -> p.pkg);
  }

  @Override
  public List<PluginInfo> list() {
    return plugins.all().stream().map(plugins::info).toList();
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
    plugins.lock().lock();
    try {
      List<Manifest> order =
          DependencyGraph.startOrder(plugins.all().stream().map(p -> p.manifest).toList());
      for (int i = order.size() - 1; i >= 0; i--) {
        LoadedPlugin p = plugins.getOrNull(order.get(i).id());
        if (p != null) {
          remove(p);
        }
      }
    } finally {
      plugins.lock().unlock();
      pluginCalls.close();
      events.close();
    }
  }
}
