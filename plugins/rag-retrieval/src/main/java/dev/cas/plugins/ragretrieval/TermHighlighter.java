package dev.cas.plugins.ragretrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Where a query's words occur in a passage, as the index sees them: both are run through the same
 * analyzer, so a passage's "flowing" is marked for the query "flows" (one stem), and stop words are
 * never marked. The ranges let a page mark the words without parsing or trusting any markup.
 */
final class TermHighlighter {

  /** A range {@code [start, end)} of a passage's text that matched a query term. */
  record Span(int start, int end) {
    Span {
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException(
            "span [" + start + ", " + end + ") is empty or negative");
      }
    }
  }

  private final Analyzer analyzer;
  private final String field;

  TermHighlighter(Analyzer analyzer, String field) {
    this.analyzer = analyzer;
    this.field = field;
  }

  /** The query's terms after analysis; empty for a query of stop words and punctuation only. */
  Set<String> terms(String query) {
    Set<String> terms = new HashSet<>();
    analyze(query, (term, start, end) -> terms.add(term));
    return terms;
  }

  /** The ranges of {@code text} whose analysed form is one of {@code terms}, in text order. */
  List<Span> spans(Set<String> terms, String text) {
    List<Span> spans = new ArrayList<>();
    if (terms.isEmpty()) {
      return spans;
    }
    analyze(
        text,
        (term, start, end) -> {
          if (terms.contains(term) && end > start && end <= text.length()) {
            spans.add(new Span(start, end));
          }
        });
    return spans;
  }

  @FunctionalInterface
  private interface TokenSink {
    void accept(String term, int start, int end);
  }

  private void analyze(String text, TokenSink sink) {
    try (TokenStream tokens = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = tokens.addAttribute(OffsetAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        sink.accept(term.toString(), offset.startOffset(), offset.endOffset());
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot analyse text for highlighting: " + e.getMessage(), e);
    }
  }
}
