package dev.cas.plugins.ragretrieval;

import dev.cas.plugin.api.Database;
import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginContext;

/**
 * Per-user document collections with ranked retrieval and citations: wires the store, the index
 * cache and the routes, and checks the configuration the host cannot check alone.
 *
 * <p>Indexes live in memory and are dropped on activation and deactivation; the next search of a
 * collection rebuilds its index from the database.
 */
public final class RagRetrievalPlugin implements Plugin {

  private PluginContext context;
  private IndexCache indexes;

  /**
   * Registers the routes; needs {@code database.read}, {@code database.write}, {@code http.routes}.
   */
  @Override
  public void initialize(PluginContext context) {
    this.context = context;
    this.indexes = new IndexCache();
    CollectionStore store = new CollectionStore(context.service(Database.class));
    new RagRoutes(new Library(store, this::settings), new Retriever(store, indexes, this::settings))
        .registerOn(context.routes());
  }

  /**
   * Refuses to start with chunkOverlap not below chunkSize, naming both values.
   *
   * @throws RagException {@code CONFIG_INVALID}
   */
  @Override
  public void activate() {
    settings();
    indexes.clear();
  }

  @Override
  public void deactivate() {
    indexes.clear();
  }

  @Override
  public void uninstall() {
    indexes.close();
  }

  /** Unhealthy while the configuration is inconsistent (the host accepted each key alone). */
  @Override
  public HealthStatus health() {
    try {
      settings();
      return HealthStatus.ok();
    } catch (RagException e) {
      return HealthStatus.unhealthy(e.getMessage());
    }
  }

  private Settings settings() {
    return Settings.from(context.config());
  }
}
