package dev.cas.plugins.textblock;

import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginContext;

/** Per-user text blocks for the dashboard. */
public final class TextBlockPlugin implements Plugin {

  @Override
  public void initialize(PluginContext context) {}
}
