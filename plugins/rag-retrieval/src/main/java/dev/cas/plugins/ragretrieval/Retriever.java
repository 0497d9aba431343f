package dev.cas.plugins.ragretrieval;

import java.util.List;
import java.util.function.Supplier;

/** Ranked passages of a user's collection for a query, and answers assembled from them. */
final class Retriever {

  private final CollectionStore store;
  private final IndexCache indexes;
  private final Supplier<Settings> settings;

  Retriever(CollectionStore store, IndexCache indexes, Supplier<Settings> settings) {
    this.store = store;
    this.indexes = indexes;
    this.settings = settings;
  }

  /**
   * The best passages, best first.
   *
   * @throws RagException {@code NOT_FOUND} for a collection the user does not have, {@code
   *     BAD_REQUEST} for a limit outside 1..maxResults
   */
  List<PassageIndex.Hit> search(String user, long collectionId, Requests.Question question) {
    int maxResults = settings.get().maxResults();
    int limit = question.limit().orElse(maxResults);
    if (limit < 1 || limit > maxResults) {
      throw new RagException(
          RagException.Reason.BAD_REQUEST,
          "limit [" + limit + "] must be between 1 and maxResults [" + maxResults + "]");
    }
    IndexCache.Fingerprint current =
        store
            .fingerprint(user, collectionId)
            .orElseThrow(() -> Library.collectionNotFound(collectionId));
    PassageIndex index =
        indexes.index(user, collectionId, current, () -> store.passages(user, collectionId));
    return index.search(question.text(), limit);
  }

  /** The top passages for a question, assembled with numbered citations. */
  AnswerComposer.Answer answer(String user, long collectionId, Requests.Question question) {
    return AnswerComposer.compose(search(user, collectionId, question));
  }
}
