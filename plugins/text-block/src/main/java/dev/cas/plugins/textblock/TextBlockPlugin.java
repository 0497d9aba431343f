package dev.cas.plugins.textblock;

import dev.cas.plugin.api.Database;
import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginContext;

/**
 * Per-user text blocks for the dashboard. Everything is wired once in {@link #initialize}: the
 * routes read the configuration live, so a changed font size shows on the next request without a
 * restart, and the host releases the routes when it unloads the plugin.
 */
public final class TextBlockPlugin implements Plugin {

  @Override
  public void initialize(PluginContext context) {
    BlockStore store = new BlockStore(context.service(Database.class));
    new BlockRoutes(store, context.config(), context.events()).registerOn(context.routes());
  }
}
