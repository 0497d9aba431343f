package dev.cas.runtime;

import dev.cas.plugin.api.EventBus;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The one event bus of a host. The host publishes {@code host:plugin:<state>} on every lifecycle
 * transition; plugins publish {@code plugin:<id>:<action>} through their context. Each delivery
 * starts on a virtual thread of its own, so a slow or failing listener cannot block the publisher;
 * a plugin's listener is then called on one of that plugin's platform call threads ({@link
 * PluginCalls}), where its CPU time and allocation are measured, and the virtual thread waits.
 */
public final class HostEventBus implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(HostEventBus.class.getName());

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cas-event-", 0).factory());

  /** Publishes an event to every matching subscriber. */
  public void publish(EventBus.Event event) {
    for (Subscriber s : subscribers) {
      if (s.matches(event.name())) {
        executor.execute(() -> deliver(s, event));
      }
    }
  }

  /**
   * Subscribes a listener.
   *
   * @param owner the plugin id that owns the subscription, or {@code host}
   */
  public EventBus.Subscription subscribe(
      String owner, String pattern, Consumer<EventBus.Event> listener) {
    Subscriber s = new Subscriber(owner, pattern, listener);
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }

  /** Number of live subscriptions of an owner. */
  public int subscriptions(String owner) {
    return (int) subscribers.stream().filter(s -> s.owner.equals(owner)).count();
  }

  private static void deliver(Subscriber s, EventBus.Event event) {
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(s.listener.getClass().getClassLoader());
    try {
      s.listener.accept(event);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "listener of [" + s.owner + "] failed on event [" + event.name() + "]", e);
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Override
  public void close() {
    executor.close();
  }

  private record Subscriber(String owner, String pattern, Consumer<EventBus.Event> listener) {
    boolean matches(String name) {
      return pattern.endsWith("*")
          ? name.startsWith(pattern.substring(0, pattern.length() - 1))
          : name.equals(pattern);
    }
  }
}
