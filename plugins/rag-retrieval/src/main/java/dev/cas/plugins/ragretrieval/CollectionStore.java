package dev.cas.plugins.ragretrieval;

import dev.cas.plugin.api.Database;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plugin's tables, always through {@link Database#forUser}: row-level security then shows and
 * changes only the calling user's rows, so a collection id of another user is simply not found.
 * Changes that touch several tables run in one transaction; without foreign keys (see the
 * migration) these transactions are what keep documents and chunks attached to their parents.
 */
final class CollectionStore {

  /** A collection, with how many documents it holds. */
  record CollectionInfo(long id, String name, String createdAt, long documents) {}

  /** A document without its content, with how many chunks it was split into. */
  record DocumentInfo(
      long id,
      long collectionId,
      String title,
      String format,
      long length,
      long chunks,
      String createdAt) {}

  /** A document with its content and chunks. */
  record DocumentDetail(DocumentInfo info, String content, List<Chunk> chunks) {
    DocumentDetail {
      chunks = List.copyOf(chunks);
    }
  }

  /** A chunk as the index and citations need it. */
  record Passage(long chunkId, long documentId, String title, Chunk chunk) {}

  private final Database db;

  CollectionStore(Database db) {
    this.db = db;
  }

  /**
   * @throws RagException {@code CONFLICT} when the user has a collection of that name
   */
  CollectionInfo createCollection(String user, String name) {
    List<Map<String, Object>> rows =
        db.forUser(user)
            .inTransaction(
                tx ->
                    tx.query(
                        "INSERT INTO collections (user_id, name) VALUES (?, ?)"
                            + " ON CONFLICT (user_id, name) DO NOTHING RETURNING id, name, created_at",
                        user,
                        name));
    if (rows.isEmpty()) {
      throw new RagException(
          RagException.Reason.CONFLICT, "a collection named [" + name + "] exists already");
    }
    Map<String, Object> r = rows.getFirst();
    return new CollectionInfo(
        number(r, "id"), (String) r.get("name"), time(r.get("created_at")), 0);
  }

  List<CollectionInfo> collections(String user) {
    return db
        .forUser(user)
        .query(
            "SELECT c.id, c.name, c.created_at, count(d.id) AS documents FROM collections c"
                + " LEFT JOIN documents d ON d.collection_id = c.id"
                + " GROUP BY c.id ORDER BY c.name, c.id")
        .stream()
        .map(CollectionStore::collection)
        .toList();
  }

  Optional<CollectionInfo> collection(String user, long id) {
    return db
        .forUser(user)
        .query(
            "SELECT c.id, c.name, c.created_at, count(d.id) AS documents FROM collections c"
                + " LEFT JOIN documents d ON d.collection_id = c.id WHERE c.id = ? GROUP BY c.id",
            id)
        .stream()
        .findFirst()
        .map(CollectionStore::collection);
  }

  /** Deletes a collection with its documents and chunks; false when the user has no such one. */
  boolean deleteCollection(String user, long id) {
    return db.forUser(user)
        .inTransaction(
            tx -> {
              // The collection first: its row lock waits for a document being added to it.
              if (tx.update("DELETE FROM collections WHERE id = ?", id) == 0) {
                return false;
              }
              tx.update(
                  "DELETE FROM chunks WHERE document_id IN"
                      + " (SELECT id FROM documents WHERE collection_id = ?)",
                  id);
              tx.update("DELETE FROM documents WHERE collection_id = ?", id);
              return true;
            });
  }

  /**
   * Stores a document and its chunks in one transaction.
   *
   * @return the document, or empty when the user has no such collection
   */
  Optional<DocumentInfo> addDocument(
      String user,
      long collectionId,
      String title,
      String content,
      DocumentFormat format,
      List<Chunk> chunks) {
    return db.forUser(user)
        .inTransaction(
            tx -> {
              if (tx.query("SELECT id FROM collections WHERE id = ? FOR UPDATE", collectionId)
                  .isEmpty()) {
                return Optional.<DocumentInfo>empty();
              }
              Map<String, Object> doc =
                  tx.query(
                          "INSERT INTO documents (user_id, collection_id, title, content, format)"
                              + " VALUES (?, ?, ?, ?, ?) RETURNING id, created_at",
                          user,
                          collectionId,
                          title,
                          content,
                          format.id())
                      .getFirst();
              long documentId = number(doc, "id");
              insertChunks(tx, user, documentId, chunks);
              return Optional.of(
                  new DocumentInfo(
                      documentId,
                      collectionId,
                      title,
                      format.id(),
                      content.length(),
                      chunks.size(),
                      time(doc.get("created_at"))));
            });
  }

  /** All chunks in one statement: the columns go as parallel text arrays, unnested together. */
  private static void insertChunks(Database tx, String user, long documentId, List<Chunk> chunks) {
    if (chunks.isEmpty()) {
      return;
    }
    tx.update(
        "INSERT INTO chunks (user_id, document_id, ordinal, text, start_offset, end_offset)"
            + " SELECT ?, ?, u.ordinal::integer, u.text, u.start_offset::integer, u.end_offset::integer"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS u(ordinal, text, start_offset, end_offset)",
        user,
        documentId,
        chunks.stream().map(c -> String.valueOf(c.ordinal())).toArray(String[]::new),
        chunks.stream().map(Chunk::text).toArray(String[]::new),
        chunks.stream().map(c -> String.valueOf(c.start())).toArray(String[]::new),
        chunks.stream().map(c -> String.valueOf(c.end())).toArray(String[]::new));
  }

  List<DocumentInfo> documents(String user, long collectionId) {
    return db
        .forUser(user)
        .query(
            "SELECT d.id, d.collection_id, d.title, d.format, length(d.content) AS length,"
                + " d.created_at, (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS chunks"
                + " FROM documents d WHERE d.collection_id = ? ORDER BY d.id",
            collectionId)
        .stream()
        .map(CollectionStore::document)
        .toList();
  }

  Optional<DocumentDetail> document(String user, long collectionId, long documentId) {
    Database scoped = db.forUser(user);
    List<Map<String, Object>> rows =
        scoped.query(
            "SELECT d.id, d.collection_id, d.title, d.format, length(d.content) AS length,"
                + " d.created_at, d.content,"
                + " (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS chunks"
                + " FROM documents d WHERE d.id = ? AND d.collection_id = ?",
            documentId,
            collectionId);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<Chunk> chunks =
        scoped
            .query(
                "SELECT ordinal, text, start_offset, end_offset FROM chunks"
                    + " WHERE document_id = ? ORDER BY ordinal",
                documentId)
            .stream()
            .map(CollectionStore::chunk)
            .toList();
    Map<String, Object> r = rows.getFirst();
    return Optional.of(new DocumentDetail(document(r), (String) r.get("content"), chunks));
  }

  /** Deletes a document and its chunks; false when the collection has no such document. */
  boolean deleteDocument(String user, long collectionId, long documentId) {
    return db.forUser(user)
        .inTransaction(
            tx -> {
              if (tx.update(
                      "DELETE FROM documents WHERE id = ? AND collection_id = ?",
                      documentId,
                      collectionId)
                  == 0) {
                return false;
              }
              tx.update("DELETE FROM chunks WHERE document_id = ?", documentId);
              return true;
            });
  }

  /**
   * The chunk ids of a collection in a form cheap to compare: what the index of the collection was
   * built from. Empty when the user has no such collection.
   */
  Optional<IndexCache.Fingerprint> fingerprint(String user, long collectionId) {
    return db
        .forUser(user)
        .query(
            "SELECT count(ch.id) AS chunks, coalesce(max(ch.id), 0) AS max_id,"
                + " coalesce(sum(ch.id), 0) AS id_sum FROM collections c"
                + " LEFT JOIN documents d ON d.collection_id = c.id"
                + " LEFT JOIN chunks ch ON ch.document_id = d.id WHERE c.id = ? GROUP BY c.id",
            collectionId)
        .stream()
        .findFirst()
        .map(
            r ->
                new IndexCache.Fingerprint(
                    number(r, "chunks"), number(r, "max_id"), number(r, "id_sum")));
  }

  /** Every chunk of a collection, with its document's title, in insertion order. */
  List<Passage> passages(String user, long collectionId) {
    return db
        .forUser(user)
        .query(
            "SELECT ch.id, ch.document_id, d.title, ch.ordinal, ch.text, ch.start_offset,"
                + " ch.end_offset FROM chunks ch JOIN documents d ON d.id = ch.document_id"
                + " WHERE d.collection_id = ? ORDER BY ch.id",
            collectionId)
        .stream()
        .map(
            r ->
                new Passage(
                    number(r, "id"), number(r, "document_id"), (String) r.get("title"), chunk(r)))
        .toList();
  }

  private static CollectionInfo collection(Map<String, Object> r) {
    return new CollectionInfo(
        number(r, "id"), (String) r.get("name"), time(r.get("created_at")), number(r, "documents"));
  }

  private static DocumentInfo document(Map<String, Object> r) {
    return new DocumentInfo(
        number(r, "id"),
        number(r, "collection_id"),
        (String) r.get("title"),
        (String) r.get("format"),
        number(r, "length"),
        number(r, "chunks"),
        time(r.get("created_at")));
  }

  private static Chunk chunk(Map<String, Object> r) {
    return new Chunk(
        (int) number(r, "ordinal"),
        (int) number(r, "start_offset"),
        (int) number(r, "end_offset"),
        (String) r.get("text"));
  }

  private static long number(Map<String, Object> row, String column) {
    return ((Number) row.get(column)).longValue();
  }

  /** A timestamp column as ISO-8601 in UTC, whichever JDBC type the driver chose. */
  private static String time(Object value) {
    return switch (value) {
      case java.sql.Timestamp ts -> ts.toInstant().toString();
      case OffsetDateTime odt -> odt.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
      default -> String.valueOf(value);
    };
  }
}
