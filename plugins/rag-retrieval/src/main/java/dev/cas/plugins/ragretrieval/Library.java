package dev.cas.plugins.ragretrieval;

import java.util.List;
import java.util.function.Supplier;

/**
 * A user's collections and documents: creating, listing and deleting them, and chunking a document
 * as it is added. Every method takes the calling user; ids of other users' collections and
 * documents are reported as not existing.
 */
final class Library {

  private final CollectionStore store;
  private final Supplier<Settings> settings;

  Library(CollectionStore store, Supplier<Settings> settings) {
    this.store = store;
    this.settings = settings;
  }

  CollectionStore.CollectionInfo create(String user, Requests.NewCollection request) {
    return store.createCollection(user, request.name());
  }

  List<CollectionStore.CollectionInfo> collections(String user) {
    return store.collections(user);
  }

  CollectionStore.CollectionInfo collection(String user, long id) {
    return store.collection(user, id).orElseThrow(() -> collectionNotFound(id));
  }

  void deleteCollection(String user, long id) {
    if (!store.deleteCollection(user, id)) {
      throw collectionNotFound(id);
    }
  }

  /**
   * Chunks the document with the current chunkSize and chunkOverlap and stores both.
   *
   * @throws RagException {@code CONFIG_INVALID} while the configuration is inconsistent, {@code
   *     BAD_REQUEST} for a document with no text to index
   */
  CollectionStore.DocumentInfo addDocument(
      String user, long collectionId, Requests.NewDocument request) {
    Chunker chunker = settings.get().chunker();
    PlainText plain = PlainText.from(request.content(), request.format());
    List<Chunk> chunks = chunker.split(plain.text()).stream().map(plain::toOriginal).toList();
    if (chunks.isEmpty()) {
      throw new RagException(
          RagException.Reason.BAD_REQUEST,
          "document [" + request.title() + "] has no text to index once its markup is removed");
    }
    return store
        .addDocument(
            user, collectionId, request.title(), request.content(), request.format(), chunks)
        .orElseThrow(() -> collectionNotFound(collectionId));
  }

  List<CollectionStore.DocumentInfo> documents(String user, long collectionId) {
    collection(user, collectionId);
    return store.documents(user, collectionId);
  }

  CollectionStore.DocumentDetail document(String user, long collectionId, long documentId) {
    collection(user, collectionId);
    return store
        .document(user, collectionId, documentId)
        .orElseThrow(() -> documentNotFound(collectionId, documentId));
  }

  void deleteDocument(String user, long collectionId, long documentId) {
    collection(user, collectionId);
    if (!store.deleteDocument(user, collectionId, documentId)) {
      throw documentNotFound(collectionId, documentId);
    }
  }

  static RagException collectionNotFound(Object id) {
    return new RagException(
        RagException.Reason.NOT_FOUND, "collection [" + id + "] does not exist");
  }

  private static RagException documentNotFound(long collectionId, long documentId) {
    return new RagException(
        RagException.Reason.NOT_FOUND,
        "collection [" + collectionId + "] has no document [" + documentId + "]");
  }
}
