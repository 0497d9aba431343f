package dev.cas.plugins.textblock;

import dev.cas.plugin.api.EventBus;
import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.HttpRoutes.Request;
import dev.cas.plugin.api.HttpRoutes.Response;
import dev.cas.plugin.api.PluginConfig;
import dev.cas.plugin.api.UserInfo;
import java.util.Map;

/**
 * The plugin's HTTP API under {@code /api/plugins/text-block}: block CRUD for the calling user and
 * the display settings. Bodies are parsed by {@link BlockRequest}; a {@link TextBlockException}
 * becomes its status with the host's envelope; any other exception reaches the host, which answers
 * 500 naming the plugin and logs it.
 */
final class BlockRoutes {

  private final BlockStore store;
  private final PluginConfig config;
  private final EventBus events;

  BlockRoutes(BlockStore store, PluginConfig config, EventBus events) {
    this.store = store;
    this.config = config;
    this.events = events;
  }

  /** Registers every route; the list here is the one docs/api.md describes. */
  void registerOn(HttpRoutes routes) {
    routes.register("GET", "/blocks", refusalsAnswered(this::list));
    routes.register("POST", "/blocks", refusalsAnswered(this::create));
    routes.register("GET", "/blocks/{blockId}", refusalsAnswered(this::get));
    routes.register("PUT", "/blocks/{blockId}", refusalsAnswered(this::update));
    routes.register("DELETE", "/blocks/{blockId}", refusalsAnswered(this::delete));
    routes.register("GET", "/settings", refusalsAnswered(this::settings));
  }

  private Response list(Request request) {
    return Envelope.ok(200, store.list(caller(request)));
  }

  private Response create(Request request) {
    String user = caller(request);
    TextBlock block = store.create(user, BlockRequest.newBlock(request.body()));
    events.publish("block-created", Map.of("blockId", block.id(), "userId", user));
    return Envelope.ok(201, block, "block [" + block.id() + "] created");
  }

  private Response get(Request request) {
    String id = blockId(request);
    TextBlock block =
        store.find(caller(request), id).orElseThrow(() -> TextBlockException.blockNotFound(id));
    return Envelope.ok(200, block);
  }

  private Response update(Request request) {
    String user = caller(request);
    String id = blockId(request);
    BlockRequest.BlockChanges changes = BlockRequest.changes(request.body());
    TextBlock block =
        store.update(user, id, changes).orElseThrow(() -> TextBlockException.blockNotFound(id));
    return Envelope.ok(200, block, "block [" + id + "] updated");
  }

  private Response delete(Request request) {
    String id = blockId(request);
    if (!store.delete(caller(request), id)) {
      throw TextBlockException.blockNotFound(id);
    }
    return Envelope.ok(200, Map.of("id", id), "block [" + id + "] deleted");
  }

  private Response settings(Request request) {
    return Envelope.ok(200, DisplaySettings.from(config));
  }

  /**
   * The owner of every row this request touches: the user the host authenticated, never a value
   * from the body or the path. Threat: a caller naming another user's id to read or write their
   * blocks; {@link BlockRequest} refuses any {@code user_id} field, and this is the only source.
   */
  private static String caller(Request request) {
    return request
        .user()
        .map(UserInfo::id)
        .orElseThrow(
            () ->
                new TextBlockException(
                    TextBlockException.Reason.UNAUTHENTICATED,
                    "text blocks belong to users: send Authorization: Bearer <token>"));
  }

  private static String blockId(Request request) {
    return BlockRequest.blockId(request.pathParams().get("blockId"));
  }

  private static HttpRoutes.Handler refusalsAnswered(HttpRoutes.Handler handler) {
    return request -> {
      try {
        return handler.handle(request);
      } catch (TextBlockException e) {
        return Envelope.error(e);
      }
    };
  }
}
