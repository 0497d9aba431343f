package dev.cas.plugins.ragretrieval;

import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginContext;

/** Document collections with ranked retrieval and citations. */
public final class RagRetrievalPlugin implements Plugin {

  @Override
  public void initialize(PluginContext context) {}
}
