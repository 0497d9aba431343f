package dev.cas.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.plugin.api.EventBus;
import dev.cas.plugin.api.UserInfo;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who sees which event on {@code GET /api/events/stream}: the rule the plugin frames' {@code
 * host.on} relies on. The stream itself is driven in Chromium by cas-web-tests' PluginFrameIT.
 */
class EventStreamVisibilityTest {

  private static final UserInfo ERIN = new UserInfo("erin", "erin", null, null, Set.of("user"));
  private static final UserInfo ADMIN = new UserInfo("admin", "admin", null, null, Set.of("admin"));

  private static EventBus.Event event(String name, Map<String, Object> payload) {
    return new EventBus.Event(name, "test", payload, 0);
  }

  @Test
  void anEventAboutAUsersDataGoesOnlyToThatUserAdminsIncluded() {
    EventBus.Event erins = event("plugin:text-block:block-created", Map.of("userId", "erin"));

    assertThat(EventStreamEndpoints.visible(erins, Optional.empty(), ERIN)).isTrue();
    assertThat(EventStreamEndpoints.visible(erins, Optional.empty(), ADMIN)).isFalse();
  }

  @Test
  void pluginEventsWithoutAUserAndTheHostsPluginEventsGoToEverySignedInUser() {
    assertThat(
            EventStreamEndpoints.visible(
                event("plugin:text-block:reindexed", Map.of()), Optional.empty(), ERIN))
        .isTrue();
    assertThat(
            EventStreamEndpoints.visible(
                event("host:plugin:inactive", Map.of("id", "text-block")), Optional.empty(), ERIN))
        .isTrue();
  }

  @Test
  void aPluginFramesStreamCarriesOnlyThatPluginsEventsAndTheHostsAboutIt() {
    Optional<String> textBlock = Optional.of("text-block");

    assertThat(EventStreamEndpoints.visible(event("plugin:other:x", Map.of()), textBlock, ERIN))
        .isFalse();
    assertThat(
            EventStreamEndpoints.visible(event("plugin:text-block-x:y", Map.of()), textBlock, ERIN))
        .isFalse();
    assertThat(
            EventStreamEndpoints.visible(
                event("host:plugin:active", Map.of("id", "other")), textBlock, ERIN))
        .isFalse();
    assertThat(
            EventStreamEndpoints.visible(
                event("host:plugin:active", Map.of("id", "text-block")), textBlock, ERIN))
        .isTrue();
  }

  @Test
  void otherHostEventsAreNotStreamed() {
    assertThat(
            EventStreamEndpoints.visible(
                event("host:budget:exceeded", Map.of()), Optional.empty(), ADMIN))
        .isFalse();
  }
}
