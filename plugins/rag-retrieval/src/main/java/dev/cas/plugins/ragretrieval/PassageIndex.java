package dev.cas.plugins.ragretrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * A Lucene index of one collection's passages, in memory, immutable once built and safe to search
 * from many threads. Passages are ranked by BM25 on their text; a match in the document's title
 * adds a smaller share, so that among similar passages those of the document about the subject come
 * first.
 */
final class PassageIndex {

  private static final String TEXT = "text";
  private static final String TITLE = "title";
  private static final String POSITION = "position";
  private static final float TITLE_BOOST = 0.5f;

  /**
   * A passage, how well it matched, and where the query's words occur in its text.
   *
   * @param highlights ranges of {@code passage().chunk().text()}, in text order
   */
  record Hit(CollectionStore.Passage passage, float score, List<TermHighlighter.Span> highlights) {
    Hit {
      highlights = List.copyOf(highlights);
    }
  }

  private final List<CollectionStore.Passage> passages;
  private final IndexSearcher searcher;
  private final QueryBuilder queries;
  private final TermHighlighter highlighter;

  private PassageIndex(
      List<CollectionStore.Passage> passages, IndexSearcher searcher, Analyzer analyzer) {
    this.passages = passages;
    this.searcher = searcher;
    this.queries = new QueryBuilder(analyzer);
    this.highlighter = new TermHighlighter(analyzer, TEXT);
  }

  /**
   * Indexes the passages. Merges run on the calling thread ({@link SerialMergeScheduler}): the
   * plugin starts no threads of its own.
   */
  static PassageIndex build(List<CollectionStore.Passage> passages, Analyzer analyzer) {
    List<CollectionStore.Passage> copy = List.copyOf(passages);
    ByteBuffersDirectory directory = new ByteBuffersDirectory();
    IndexWriterConfig config =
        new IndexWriterConfig(analyzer)
            .setSimilarity(new BM25Similarity())
            .setMergeScheduler(new SerialMergeScheduler());
    try {
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int i = 0; i < copy.size(); i++) {
          CollectionStore.Passage p = copy.get(i);
          Document doc = new Document();
          doc.add(new StoredField(POSITION, i));
          doc.add(new TextField(TEXT, p.chunk().text(), Field.Store.NO));
          doc.add(new TextField(TITLE, p.title(), Field.Store.NO));
          writer.addDocument(doc);
        }
        writer.commit();
      }
      IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(directory));
      searcher.setSimilarity(new BM25Similarity());
      return new PassageIndex(copy, searcher, analyzer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the in-memory index: " + e.getMessage(), e);
    }
  }

  /** How many passages the index holds. */
  int size() {
    return passages.size();
  }

  /**
   * The best {@code limit} passages for a free-text query, best first; none when the query has no
   * searchable words (only stop words or punctuation). The text is analysed, never parsed as query
   * syntax, so no input is an error. Each hit carries the ranges of its text that match the query's
   * terms.
   */
  List<Hit> search(String text, int limit) {
    Query body = queries.createBooleanQuery(TEXT, text, BooleanClause.Occur.SHOULD);
    if (body == null || passages.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder().add(body, BooleanClause.Occur.MUST);
    Query title = queries.createBooleanQuery(TITLE, text, BooleanClause.Occur.SHOULD);
    if (title != null) {
      query.add(new BoostQuery(title, TITLE_BOOST), BooleanClause.Occur.SHOULD);
    }
    try {
      ScoreDoc[] top = searcher.search(query.build(), limit).scoreDocs;
      StoredFields stored = searcher.storedFields();
      Set<String> terms = highlighter.terms(text);
      List<Hit> hits = new ArrayList<>(top.length);
      for (ScoreDoc sd : top) {
        int position = stored.document(sd.doc).getField(POSITION).numericValue().intValue();
        CollectionStore.Passage passage = passages.get(position);
        hits.add(new Hit(passage, sd.score, highlighter.spans(terms, passage.chunk().text())));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search the in-memory index: " + e.getMessage(), e);
    }
  }
}
