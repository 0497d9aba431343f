package dev.cas.plugins.ragretrieval;

import java.util.List;

/**
 * Assembles an answer from ranked passages: the passages themselves, best first, each marked with
 * the number of its citation. Extractive by design: no language model is involved, so the answer
 * says only what the documents say, in their words.
 */
final class AnswerComposer {

  static final String NOTHING_FOUND = "No passage of this collection matches the question.";

  /**
   * @param text the passages, each as {@code [n] text}, separated by blank lines
   * @param sources the hits cited, in citation order: {@code [n]} is {@code sources.get(n - 1)}
   */
  record Answer(String text, List<PassageIndex.Hit> sources) {
    Answer {
      sources = List.copyOf(sources);
    }
  }

  private AnswerComposer() {}

  static Answer compose(List<PassageIndex.Hit> hits) {
    if (hits.isEmpty()) {
      return new Answer(NOTHING_FOUND, List.of());
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < hits.size(); i++) {
      if (i > 0) {
        text.append("\n\n");
      }
      text.append('[').append(i + 1).append("] ").append(hits.get(i).passage().chunk().text());
    }
    return new Answer(text.toString(), hits);
  }
}
