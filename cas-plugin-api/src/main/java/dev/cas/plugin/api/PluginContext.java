package dev.cas.plugin.api;

import java.util.Set;

/**
 * What the host gives a plugin when it initializes it: who the plugin is and what it may do. The
 * services (database, events, storage, routes and the rest) are obtained from the context and check
 * the plugin's declared {@link Permission}s.
 */
public interface PluginContext {

  /** The plugin's id from its manifest, for example {@code text-block}. */
  String pluginId();

  /** The plugin's version from its manifest, for example {@code 1.2.0}. */
  String pluginVersion();

  /** The permissions the plugin declared and the host granted. */
  Set<Permission> permissions();
}
