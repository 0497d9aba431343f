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
   * events.subscribe}. Listeners run on virtual threads; an exception in one is logged and does not
   * reach the publisher.
   */
  Subscription subscribe(String pattern, Consumer<Event> listener);

  /** A subscription that can be cancelled; the host cancels all of a plugin's on unload. */
  interface Subscription extends AutoCloseable {
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
    public Event {
      payload = Map.copyOf(payload);
    }
  }
}
