package dev.cas.server.http;

import dev.cas.plugin.api.EventBus;
import dev.cas.plugin.api.UserInfo;
import dev.cas.runtime.HostEventBus;
import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.http.HttpApi.StreamReply;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code GET /api/events/stream?topics=<pattern>[,<pattern>…][&plugin=<id>]}: the host's events as
 * server-sent events, for the admin page's plugin frames ({@code host.on(topic, …)}).
 *
 * <p>What a caller sees is what the API would show them anyway. Threat: a signed-in user reading
 * events about another user's data. An event whose payload has a {@code userId} goes only to that
 * user; {@code host:plugin:*} events (a plugin's state changes, which {@code GET /api/plugins}
 * shows every signed-in user) and plugin events without a {@code userId} go to every signed-in
 * user. With {@code plugin=<id>}, only that plugin's events ({@code plugin:<id>:…}) and the host's
 * events about it (payload {@code id}) are sent.
 */
final class EventStreamEndpoints {

  /** A reader that cannot keep up loses events, never slows the publishers. */
  static final int BUFFER = 500;

  /** A comment this often finds out that a silent client has gone. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private static final Pattern TOPIC =
      Pattern.compile("(host|plugin)(:[a-z0-9][a-z0-9.-]*){0,2}(:\\*|\\*)?");

  /** As many as a plugin page may subscribe to (plugin-frames.js): one stream per frame. */
  static final int MAX_TOPICS = 20;

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");

  private final HostEventBus events;

  EventStreamEndpoints(HostEventBus events) {
    this.events = events;
  }

  HttpApi routes(HttpApi api) {
    return api.route("GET", "/api/events/stream", HttpApi.Role.USER, this::stream);
  }

  private Reply stream(Call c) {
    String asked =
        c.queryParam("topics")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "query parameter [topics] is required, e.g. topics=plugin:text-block:*"));
    String[] asks = asked.split(",");
    if (asks.length > MAX_TOPICS) {
      throw new IllegalArgumentException(
          "a stream follows at most "
              + MAX_TOPICS
              + " topics, not "
              + asks.length
              + ": use a prefix pattern such as plugin:text-block:*");
    }
    List<String> topics = new ArrayList<>();
    for (String t : asks) {
      if (!TOPIC.matcher(t).matches()) {
        throw new IllegalArgumentException(
            "topic ["
                + t
                + "] is not an event name or a prefix pattern such as plugin:text-block:* or"
                + " host:plugin:*");
      }
      topics.add(t);
    }
    Optional<String> plugin = c.queryParam("plugin");
    if (plugin.isPresent() && !ID.matcher(plugin.get()).matches()) {
      throw new IllegalArgumentException("plugin [" + plugin.get() + "] is not a plugin id");
    }
    UserInfo user = c.user().orElseThrow();
    return new StreamReply("text/event-stream", out -> follow(out, topics, plugin, user));
  }

  private void follow(OutputStream out, List<String> topics, Optional<String> plugin, UserInfo user)
      throws IOException {
    BlockingQueue<EventBus.Event> queue = new ArrayBlockingQueue<>(BUFFER);
    // One subscription for all topics, so an event two patterns match is sent once.
    EventBus.Subscription subscription =
        events.subscribe(
            "host",
            "*",
            e -> {
              if (topics.stream().anyMatch(t -> matches(t, e.name())) && visible(e, plugin, user)) {
                queue.offer(e);
              }
            });
    try {
      out.write(": subscribed\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        EventBus.Event next = queue.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        } else {
          Map<String, Object> data = new LinkedHashMap<>();
          data.put("topic", next.name());
          data.put("payload", next.payload());
          data.put("at", next.epochMillis());
          out.write(
              ("data: " + HttpApi.JSON.writeValueAsString(data) + "\n\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        subscription.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot end an event subscription", e);
      }
    }
  }

  /** A topic is an event name, or a prefix followed by {@code *}, as the event bus reads them. */
  static boolean matches(String topic, String name) {
    return topic.endsWith("*")
        ? name.startsWith(topic.substring(0, topic.length() - 1))
        : name.equals(topic);
  }

  /** Whether this user may see the event, within the plugin asked for. */
  static boolean visible(EventBus.Event e, Optional<String> plugin, UserInfo user) {
    String name = e.name();
    boolean host = name.startsWith("host:plugin:");
    if (plugin.isPresent()) {
      boolean own =
          host
              ? plugin.get().equals(String.valueOf(e.payload().get("id")))
              : name.startsWith("plugin:" + plugin.get() + ":");
      if (!own) {
        return false;
      }
    }
    if (host) {
      return true;
    }
    if (!name.startsWith("plugin:")) {
      return false;
    }
    Object owner = e.payload().get("userId");
    return owner == null || owner.equals(user.username());
  }
}
