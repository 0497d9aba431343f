package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import dev.cas.plugin.api.EventBus;
import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.KeyValueStore;
import dev.cas.plugin.api.Permission;
import dev.cas.plugin.api.PermissionDeniedException;
import dev.cas.plugin.api.PluginConfig;
import dev.cas.plugin.api.PluginContext;
import dev.cas.plugin.api.PluginTasks;
import dev.cas.plugin.api.ServiceUnavailableException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One plugin instance's view of the host. Each service checks the declared permissions before it
 * acts (capability style: the plugin only ever holds these facades, never the host's objects).
 */
final class PluginContextImpl implements PluginContext {

  private static final Pattern ACTION =
      Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*(:[a-z0-9]+(-[a-z0-9]+)*)*");

  private final Manifest manifest;
  private final Set<Permission> permissions;
  private final PluginConfigImpl config;
  private final PluginScope scope;
  private final RouteTable.RouteSet routeSet;
  private final HostEventBus bus;
  private final KeyValueStore store;
  private final PluginTasksImpl tasks;
  private final HostServices hostServices;
  private final ServiceDirectory directory;
  private final ListenerCalls listenerCalls;
  private final Map<Class<?>, Object> exported = new ConcurrentHashMap<>();

  /** How a plugin's event listener is run: as an accounted call of the plugin. */
  interface ListenerCalls {
    void deliver(EventBus.Event event, Consumer<EventBus.Event> listener);
  }

  /** How one plugin finds another's exported services. */
  interface ServiceDirectory {
    <S> Optional<S> find(String pluginId, Class<S> type);
  }

  PluginContextImpl(
      Manifest manifest,
      PluginConfigImpl config,
      PluginScope scope,
      RouteTable.RouteSet routeSet,
      HostEventBus bus,
      HostServices hostServices,
      PluginTasksImpl tasks,
      ServiceDirectory directory,
      ListenerCalls listenerCalls) {
    this.manifest = manifest;
    EnumSet<Permission> granted = EnumSet.noneOf(Permission.class);
    manifest.permissions().forEach(p -> Permission.byId(p).ifPresent(granted::add));
    this.permissions = Set.copyOf(granted);
    this.config = config;
    this.scope = scope;
    this.routeSet = routeSet;
    this.bus = bus;
    this.store = hostServices.storage(manifest.id());
    this.tasks = tasks;
    this.hostServices = hostServices;
    this.directory = directory;
    this.listenerCalls = listenerCalls;
  }

  private void require(Permission permission, String action) {
    if (!permissions.contains(permission)) {
      throw new PermissionDeniedException(manifest.id(), permission.id(), action);
    }
  }

  Map<Class<?>, Object> exportedServices() {
    return exported;
  }

  @Override
  public String pluginId() {
    return manifest.id();
  }

  @Override
  public String pluginVersion() {
    return manifest.version();
  }

  @Override
  public Set<Permission> permissions() {
    return permissions;
  }

  @Override
  public System.Logger logger() {
    return System.getLogger("plugin." + manifest.id());
  }

  @Override
  public PluginConfig config() {
    return config;
  }

  @Override
  public EventBus events() {
    return new EventBus() {
      @Override
      public void publish(String action, Map<String, Object> payload) {
        require(Permission.EVENTS_PUBLISH, "publish events");
        if (!ACTION.matcher(action).matches()) {
          throw new IllegalArgumentException(
              "plugin ["
                  + manifest.id()
                  + "] event action ["
                  + action
                  + "] must be lowercase words and dashes");
        }
        Event event =
            new Event(
                "plugin:" + manifest.id() + ":" + action,
                manifest.id(),
                payload,
                System.currentTimeMillis());
        SandboxBridge.asHostUnchecked(
            () -> {
              bus.publish(event);
              return null;
            });
      }

      @Override
      public Subscription subscribe(String pattern, Consumer<Event> listener) {
        require(Permission.EVENTS_SUBSCRIBE, "subscribe to events");
        Subscription s =
            SandboxBridge.asHostUnchecked(
                () ->
                    bus.subscribe(manifest.id(), pattern, e -> listenerCalls.deliver(e, listener)));
        scope.add(s);
        return s;
      }
    };
  }

  @Override
  public KeyValueStore storage() {
    return new KeyValueStore() {
      @Override
      public Optional<String> get(String key) {
        require(Permission.STORAGE_READ, "read storage");
        return SandboxBridge.asHostUnchecked(() -> store.get(key));
      }

      @Override
      public List<String> keys(String prefix) {
        require(Permission.STORAGE_READ, "read storage");
        return SandboxBridge.asHostUnchecked(() -> store.keys(prefix));
      }

      @Override
      public void put(String key, String value) {
        require(Permission.STORAGE_WRITE, "write storage");
        SandboxBridge.asHostUnchecked(
            () -> {
              store.put(key, value);
              return null;
            });
      }

      @Override
      public boolean delete(String key) {
        require(Permission.STORAGE_WRITE, "write storage");
        return SandboxBridge.asHostUnchecked(() -> store.delete(key));
      }
    };
  }

  @Override
  public HttpRoutes routes() {
    return (method, path, handler) -> {
      require(Permission.HTTP_ROUTES, "register HTTP routes");
      routeSet.add(method, path, handler);
    };
  }

  @Override
  public PluginTasks tasks() {
    return tasks;
  }

  @Override
  public <S> S service(Class<S> type) {
    Consumer<AutoCloseable> onUnload = scope::add;
    return SandboxBridge.asHostUnchecked(() -> hostServices.service(manifest, type, onUnload))
        .map(service -> HostDoor.of(type, service))
        .orElseThrow(
            () ->
                new ServiceUnavailableException(
                    "this host offers no ["
                        + type.getName()
                        + "] service to plugin ["
                        + manifest.id()
                        + "]"));
  }

  @Override
  public <S> void exportService(Class<S> type, S implementation) {
    if (!type.isInterface() || !type.isInstance(implementation)) {
      throw new IllegalArgumentException(
          "plugin ["
              + manifest.id()
              + "] must export an interface with an implementation of it, not ["
              + type.getName()
              + "]");
    }
    exported.put(type, implementation);
  }

  @Override
  public <S> Optional<S> pluginService(String pluginId, Class<S> type) {
    require(Permission.PLUGINS_CALL, "call plugin [" + pluginId + "]");
    if (!manifest.compatibility().dependencies().containsKey(pluginId)) {
      throw new PermissionDeniedException(
          manifest.id(),
          Permission.PLUGINS_CALL.id(),
          "call plugin [" + pluginId + "]",
          "[" + pluginId + "] is not among its compatibility.dependencies");
    }
    return directory.find(pluginId, type);
  }
}
