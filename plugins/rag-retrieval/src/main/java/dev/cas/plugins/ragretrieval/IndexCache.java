package dev.cas.plugins.ragretrieval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * The in-memory indexes of recently searched collections, one per user and collection.
 *
 * <p>An index is a cache of the database, never the other way round: each search first reads the
 * collection's {@link Fingerprint} (one aggregate query) and rebuilds the index when it differs
 * from the one the index was built from. So documents added or deleted by any request, rows
 * imported by the host and restarts all show up without explicit invalidation, and a stale index
 * built concurrently with a change is replaced on the next search.
 */
final class IndexCache {

  /** Most indexes kept; the least recently used goes first. */
  static final int CAPACITY = 64;

  /**
   * Identifies a set of chunks: their number, largest id and id sum. Ids are never reused (a
   * sequence), so adding or deleting chunks changes it.
   */
  record Fingerprint(long chunks, long maxId, long idSum) {
    static Fingerprint of(List<CollectionStore.Passage> passages) {
      long max = 0;
      long sum = 0;
      for (CollectionStore.Passage p : passages) {
        max = Math.max(max, p.chunkId());
        sum += p.chunkId();
      }
      return new Fingerprint(passages.size(), max, sum);
    }
  }

  private record Key(String user, long collectionId) {}

  private record Cached(Fingerprint fingerprint, PassageIndex index) {}

  private final Analyzer analyzer = new EnglishAnalyzer();
  private final Map<Key, Cached> entries =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
          return size() > CAPACITY;
        }
      };

  /**
   * The index of a collection as of {@code current}: the cached one when built from the same
   * chunks, else one built now from {@code passages} (outside the lock, so a slow build blocks no
   * other collection's searches).
   */
  PassageIndex index(
      String user,
      long collectionId,
      Fingerprint current,
      Supplier<List<CollectionStore.Passage>> passages) {
    Key key = new Key(user, collectionId);
    synchronized (entries) {
      Cached cached = entries.get(key);
      if (cached != null && cached.fingerprint.equals(current)) {
        return cached.index;
      }
    }
    List<CollectionStore.Passage> loaded = passages.get();
    PassageIndex index = PassageIndex.build(loaded, analyzer);
    synchronized (entries) {
      entries.put(key, new Cached(Fingerprint.of(loaded), index));
    }
    return index;
  }

  /** Drops every index; they are rebuilt from the database on the next search. */
  void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }

  /** Releases the analyzer's per-thread state; the cache is not used afterwards. */
  void close() {
    clear();
    analyzer.close();
  }
}
