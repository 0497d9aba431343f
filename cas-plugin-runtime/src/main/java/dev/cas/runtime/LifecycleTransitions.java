package dev.cas.runtime;

import dev.cas.plugin.api.EventBus;
import dev.cas.plugin.api.PluginState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle's allowed transitions ({@link PluginState}'s diagram) and the one place that moves
 * a plugin along them: each move is checked against the table and published as {@code
 * host:plugin:<state>} on the host's event bus.
 */
final class LifecycleTransitions {

  private static final Map<PluginState, Set<PluginState>> ALLOWED =
      new EnumMap<>(PluginState.class);

  static {
    Set<PluginState> out = EnumSet.of(PluginState.FAILED, PluginState.UNINSTALLED);
    ALLOWED.put(PluginState.INSTALLED, with(out, PluginState.RESOLVED));
    ALLOWED.put(PluginState.RESOLVED, with(out, PluginState.INITIALIZED));
    ALLOWED.put(PluginState.INITIALIZED, with(out, PluginState.ACTIVE));
    ALLOWED.put(PluginState.ACTIVE, with(out, PluginState.INACTIVE));
    ALLOWED.put(PluginState.INACTIVE, with(out, PluginState.ACTIVE));
    // A failed plugin with an instance may be activated again; activating it may fail again.
    ALLOWED.put(PluginState.FAILED, with(out, PluginState.ACTIVE));
    ALLOWED.put(PluginState.UNINSTALLED, EnumSet.noneOf(PluginState.class));
  }

  private static Set<PluginState> with(Set<PluginState> base, PluginState more) {
    Set<PluginState> s = EnumSet.copyOf(base);
    s.add(more);
    return s;
  }

  private final HostEventBus events;

  LifecycleTransitions(HostEventBus events) {
    this.events = events;
  }

  /** Whether the lifecycle allows going from one state to the other. */
  static boolean allowed(PluginState from, PluginState to) {
    return ALLOWED.get(from).contains(to);
  }

  void move(LoadedPlugin p, PluginState to, String reason) {
    move(p, to, reason, false);
  }

  /**
   * Moves the plugin and publishes the event.
   *
   * @param reason why (kept as the plugin's failure for {@code FAILED}, or with a deactivation)
   * @param overBudget the host deactivates it for its resource use; the event's payload says so
   *     ({@code "budget": true}) for the audit trail
   * @throws IllegalStateException for a move the table does not allow: a bug in the runtime
   */
  void move(LoadedPlugin p, PluginState to, String reason, boolean overBudget) {
    PluginState from = p.state;
    if (!allowed(from, to)) {
      throw new IllegalStateException(
          "plugin [" + p.id() + "] cannot go from " + from + " to " + to + " in the lifecycle");
    }
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
            "host:plugin:" + to.name().toLowerCase(Locale.ROOT),
            "host",
            payload,
            System.currentTimeMillis()));
  }

  /** A refusal of an operator's action the plugin's state does not allow. */
  static PluginRuntimeException illegal(LoadedPlugin p, String action) {
    return new PluginRuntimeException(
        PluginRuntimeException.Reason.ILLEGAL_STATE,
        p.id(),
        "cannot "
            + action
            + " plugin ["
            + p.id()
            + "] in state "
            + p.state
            + p.failure().map(f -> " (" + f + ")").orElse(""));
  }
}
