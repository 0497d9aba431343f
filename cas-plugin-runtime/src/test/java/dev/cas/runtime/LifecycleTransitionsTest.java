package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.plugin.api.PluginState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle's table: what the state diagram of {@link PluginState} allows, and nothing more.
 */
class LifecycleTransitionsTest {

  @Test
  void theTableIsTheDiagram() {
    assertThat(targets(PluginState.INSTALLED))
        .isEqualTo(EnumSet.of(PluginState.RESOLVED, PluginState.FAILED, PluginState.UNINSTALLED));
    assertThat(targets(PluginState.RESOLVED))
        .isEqualTo(
            EnumSet.of(PluginState.INITIALIZED, PluginState.FAILED, PluginState.UNINSTALLED));
    assertThat(targets(PluginState.INITIALIZED))
        .isEqualTo(EnumSet.of(PluginState.ACTIVE, PluginState.FAILED, PluginState.UNINSTALLED));
    assertThat(targets(PluginState.ACTIVE))
        .isEqualTo(EnumSet.of(PluginState.INACTIVE, PluginState.FAILED, PluginState.UNINSTALLED));
    assertThat(targets(PluginState.INACTIVE))
        .isEqualTo(EnumSet.of(PluginState.ACTIVE, PluginState.FAILED, PluginState.UNINSTALLED));
    assertThat(targets(PluginState.FAILED))
        .isEqualTo(EnumSet.of(PluginState.ACTIVE, PluginState.FAILED, PluginState.UNINSTALLED));
    assertThat(targets(PluginState.UNINSTALLED)).isEmpty();
  }

  private static Set<PluginState> targets(PluginState from) {
    Set<PluginState> out = EnumSet.noneOf(PluginState.class);
    for (PluginState to : PluginState.values()) {
      if (LifecycleTransitions.allowed(from, to)) {
        out.add(to);
      }
    }
    return out;
  }
}
