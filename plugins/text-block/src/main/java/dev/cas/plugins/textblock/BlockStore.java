package dev.cas.plugins.textblock;

import dev.cas.plugin.api.Database;
import dev.cas.plugins.textblock.BlockRequest.BlockChanges;
import dev.cas.plugins.textblock.BlockRequest.NewBlock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code text_blocks} table. Every method takes the calling user and runs through {@link
 * Database#forUser}, so PostgreSQL's row-level security shows and changes only that user's rows;
 * the statements name the user as well, so a row of someone else is never touched even if the
 * policy were missing.
 */
final class BlockStore {

  private static final String COLUMNS =
      "id::text AS id, title, content, position,"
          + " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS created_at,"
          + " to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS updated_at";

  private final Database database;

  BlockStore(Database database) {
    this.database = database;
  }

  /** The user's blocks in dashboard order: by position, then oldest first. */
  List<TextBlock> list(String userId) {
    return database
        .forUser(userId)
        .query(
            "SELECT "
                + COLUMNS
                + " FROM text_blocks WHERE user_id = ? ORDER BY position, created_at, id",
            userId)
        .stream()
        .map(BlockStore::toBlock)
        .toList();
  }

  /** One of the user's blocks; empty when it does not exist or belongs to someone else. */
  Optional<TextBlock> find(String userId, String blockId) {
    return first(database.forUser(userId), userId, blockId);
  }

  /** Stores a new block of the user and returns it as stored. */
  TextBlock create(String userId, NewBlock block) {
    String id = UUID.randomUUID().toString();
    return database
        .forUser(userId)
        .inTransaction(
            tx -> {
              tx.update(
                  "INSERT INTO text_blocks (id, user_id, title, content, position)"
                      + " VALUES (?::uuid, ?, ?, ?, ?)",
                  id,
                  userId,
                  block.title(),
                  block.content(),
                  block.position());
              return first(tx, userId, id).orElseThrow();
            });
  }

  /** Applies the changes to one of the user's blocks; empty when the user has no such block. */
  Optional<TextBlock> update(String userId, String blockId, BlockChanges changes) {
    return database
        .forUser(userId)
        .inTransaction(
            tx -> {
              Optional<TextBlock> current = first(tx, userId, blockId, " FOR UPDATE");
              if (current.isEmpty()) {
                return Optional.<TextBlock>empty();
              }
              NewBlock next = changes.applyTo(current.get());
              tx.update(
                  "UPDATE text_blocks SET title = ?, content = ?, position = ?, updated_at = now()"
                      + " WHERE id = ?::uuid AND user_id = ?",
                  next.title(),
                  next.content(),
                  next.position(),
                  blockId,
                  userId);
              return first(tx, userId, blockId);
            });
  }

  /** Deletes one of the user's blocks; false when the user has no such block. */
  boolean delete(String userId, String blockId) {
    return database
            .forUser(userId)
            .update("DELETE FROM text_blocks WHERE id = ?::uuid AND user_id = ?", blockId, userId)
        > 0;
  }

  private static Optional<TextBlock> first(Database db, String userId, String blockId) {
    return first(db, userId, blockId, "");
  }

  private static Optional<TextBlock> first(
      Database db, String userId, String blockId, String lock) {
    return db
        .query(
            "SELECT " + COLUMNS + " FROM text_blocks WHERE id = ?::uuid AND user_id = ?" + lock,
            blockId,
            userId)
        .stream()
        .findFirst()
        .map(BlockStore::toBlock);
  }

  private static TextBlock toBlock(Map<String, Object> row) {
    return new TextBlock(
        (String) row.get("id"),
        (String) row.get("title"),
        (String) row.get("content"),
        ((Number) row.get("position")).intValue(),
        (String) row.get("created_at"),
        (String) row.get("updated_at"));
  }
}
