/**
 * The rag-retrieval plugin: per-user document collections with ranked passage retrieval.
 *
 * <p>A document is stored whole, then split by {@link dev.cas.plugins.ragretrieval.Chunker} into
 * overlapping chunks that remember where they came from in the original, so every search hit can
 * cite its document, chunk and character range. The database is the source of truth; the Lucene
 * (BM25) index of a collection is built in memory from its chunks and rebuilt whenever they change,
 * so exporting and importing the plugin's tables carries everything.
 *
 * <p>Request flow: {@code RagRoutes} parses a request ({@code Requests}), calls {@code Library}
 * (collections and documents) or {@code Retriever} (search and answer), which use {@code
 * CollectionStore} (SQL, always scoped to the calling user) and {@code IndexCache}.
 */
package dev.cas.plugins.ragretrieval;
