package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import dev.cas.plugin.api.PluginState;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one plugin on the runtime.
 *
 * @param id the plugin id
 * @param version its version
 * @param state where it is in its lifecycle
 * @param failure why it is {@link PluginState#FAILED}, when it is
 * @param manifest its manifest
 * @param dependents ids of installed plugins that depend on it
 */
public record PluginInfo(
    String id,
    String version,
    PluginState state,
    Optional<String> failure,
    Manifest manifest,
    List<String> dependents) {

  public PluginInfo {
    dependents = List.copyOf(dependents);
  }
}
