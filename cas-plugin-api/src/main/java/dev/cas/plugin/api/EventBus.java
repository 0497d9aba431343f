package dev.cas.plugin.api;

import java.util.Map;
import java.util.function.Consumer;

/** Events between the host and plugins. A plugin publishes under {@code plugin:<id>:<action>}. */
public interface EventBus {

  /**
   * Publishes {@code plugin:<this id>:<action>}. Needs {@code events.publish}.
   *
   * @param action lowercase words and dashes, e.g. {@code block-created}
   * @param payload values for subscribers (keep them to JDK types: String, numbers, lists, maps)
   */
  void publish(String action, Map<String, Object> payload);

  /**
   * Subscribes to events whose name equals {@code pattern}, or starts with it when it ends with
   * {@code *} (e.g. {@code plugin:text-block:*}, {@code host:plugin:*}). Needs {@code
   * events.subscribe}.
   *
   * <p>Delivery is asynchronous: {@link #publish} returns before any listener runs. Each delivery
   * is a call of the subscribing plugin, run on one of that plugin's own platform call threads
   * (named {@code plugin-<id>-call-<n>}, the threads its routes run on) with its class loader as
   * the context class loader, under the route deadline and the plugin's CPU and allocation budgets.
   * An exception in a listener is logged and does not reach the publisher. Events are not ordered
   * across deliveries: two events published one after the other may reach a listener in either
   * order.
   *
   * @param pattern an event name, or a prefix ending in {@code *}
   * @param listener called once per matching event
   * @return the subscription, to cancel it before the plugin stops
   */
  Subscription subscribe(String pattern, Consumer<Event> listener);

  /** A subscription that can be cancelled; the host cancels all of a plugin's on unload. */
  interface Subscription extends AutoCloseable {
    /** Cancels the subscription: the listener gets no event published after this returns. */
    @Override
    void close();
  }

  /**
   * One event.
   *
   * @param name e.g. {@code plugin:text-block:block-created}
   * @param source the plugin id that published it, or {@code host}
   * @param payload its values
   * @param epochMillis when it was published
   */
  record Event(String name, String source, Map<String, Object> payload, long epochMillis) {
    /** Copies the payload, so a listener cannot change what the next one sees. */
    public Event {
      payload = Map.copyOf(payload);
    }
  }
}
