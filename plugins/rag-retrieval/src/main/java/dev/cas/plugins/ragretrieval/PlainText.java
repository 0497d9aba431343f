package dev.cas.plugins.ragretrieval;

import java.util.Arrays;

/**
 * Text to index, derived from a document's content, with the position in the content each of its
 * characters came from, so that a chunk of the derived text can cite its source in the original.
 */
final class PlainText {

  private final String text;
  private final int[] origins;

  private PlainText(String text, int[] origins) {
    this.text = text;
    this.origins = origins;
  }

  /** Content that is indexed as it is: every character is its own origin. */
  static PlainText of(String content) {
    int[] origins = new int[content.length()];
    Arrays.setAll(origins, i -> i);
    return new PlainText(content, origins);
  }

  /** The text of a document in a format, ready to chunk. */
  static PlainText from(String content, DocumentFormat format) {
    return switch (format) {
      case TEXT -> of(content);
      case MARKDOWN -> MarkdownStripper.strip(content);
    };
  }

  String text() {
    return text;
  }

  /**
   * A chunk of this text with its offsets moved to the original content: from the origin of its
   * first character to just past the origin of its last.
   */
  Chunk toOriginal(Chunk chunk) {
    return new Chunk(
        chunk.ordinal(), origins[chunk.start()], origins[chunk.end() - 1] + 1, chunk.text());
  }

  /** Builds derived text one character at a time, each with its origin. */
  static final class Builder {
    private final StringBuilder text = new StringBuilder();
    private int[] origins = new int[64];

    void append(char c, int origin) {
      if (text.length() == origins.length) {
        origins = Arrays.copyOf(origins, origins.length * 2);
      }
      origins[text.length()] = origin;
      text.append(c);
    }

    PlainText build() {
      return new PlainText(text.toString(), Arrays.copyOf(origins, text.length()));
    }
  }
}
