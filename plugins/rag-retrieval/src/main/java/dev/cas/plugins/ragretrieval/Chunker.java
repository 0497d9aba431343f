package dev.cas.plugins.ragretrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into chunks of at most {@code size} characters, each starting up to {@code overlap}
 * characters before the previous one ended, so a passage cut at a boundary is still found whole in
 * one of the two chunks.
 *
 * <p>A chunk ends preferably at a paragraph break, else after a sentence, else at whitespace, else
 * exactly at {@code size}; the next chunk starts preferably at a sentence or paragraph start inside
 * the overlap, else at a word start. Chunks are trimmed of surrounding whitespace and never empty,
 * and their offsets delimit their text exactly: {@code text.substring(start, end)}.
 */
final class Chunker {

  /** Most chunks one text may make: guards memory when size and overlap are close. */
  static final int MAX_CHUNKS = 20_000;

  private final int size;
  private final int overlap;

  /**
   * @param size largest chunk, at least 1
   * @param overlap from 0 to {@code size - 1}
   */
  Chunker(int size, int overlap) {
    if (size < 1) {
      throw new IllegalArgumentException("chunk size [" + size + "] must be at least 1");
    }
    if (overlap < 0 || overlap >= size) {
      throw new IllegalArgumentException(
          "chunk overlap ["
              + overlap
              + "] must be at least 0 and less than chunk size ["
              + size
              + "]");
    }
    this.size = size;
    this.overlap = overlap;
  }

  /**
   * The chunks of {@code text}, in order; none for blank text.
   *
   * @throws RagException {@code TOO_LARGE} past {@link #MAX_CHUNKS} chunks
   */
  List<Chunk> split(String text) {
    List<Chunk> chunks = new ArrayList<>();
    int start = skipWhitespace(text, 0);
    while (start < text.length()) {
      if (chunks.size() == MAX_CHUNKS) {
        throw new RagException(
            RagException.Reason.TOO_LARGE,
            "a text of "
                + text.length()
                + " characters makes more than "
                + MAX_CHUNKS
                + " chunks of size ["
                + size
                + "] with overlap ["
                + overlap
                + "]; split the document or use a larger chunkSize");
      }
      int end = endOf(text, start);
      int trimmed = trimEnd(text, start, end);
      chunks.add(new Chunk(chunks.size(), start, trimmed, text.substring(start, trimmed)));
      if (end >= text.length()) {
        break;
      }
      start = nextStart(text, start, end);
    }
    return chunks;
  }

  /**
   * Where the chunk from {@code start} ends. Preferred breaks are looked for only far enough in
   * that each chunk advances at least half of {@code size - overlap} past the previous start.
   */
  private int endOf(String text, int start) {
    int limit = start + size;
    if (limit >= text.length()) {
      return text.length();
    }
    int floor = start + Math.max(size / 2, overlap + Math.max(1, (size - overlap) / 2));
    for (Boundary kind : Boundary.values()) {
      for (int i = limit; i >= floor; i--) {
        if (kind.isAt(text, i)) {
          return i;
        }
      }
    }
    return notInsidePair(text, limit, start);
  }

  /** Where the chunk after {@code [start, end)} starts: inside the overlap, past {@code start}. */
  private int nextStart(String text, int start, int end) {
    if (overlap == 0) {
      return skipWhitespace(text, end);
    }
    int from = Math.max(end - overlap, start + 1);
    for (int i = from; i < end; i++) {
      if (Boundary.PARAGRAPH.isAt(text, i) || Boundary.SENTENCE.isAt(text, i)) {
        int next = skipWhitespace(text, i);
        if (next < end) {
          return next;
        }
      }
    }
    for (int i = from; i < end; i++) {
      if (!Character.isWhitespace(text.charAt(i)) && Character.isWhitespace(text.charAt(i - 1))) {
        return i;
      }
    }
    return skipWhitespace(text, notInsidePair(text, from, start));
  }

  /**
   * {@code i}, or one less when {@code i} would cut a surrogate pair (a character outside the Basic
   * Multilingual Plane, such as an emoji) in two, unless that is {@code floor}.
   */
  private static int notInsidePair(String text, int i, int floor) {
    boolean inside =
        i > floor
            && i < text.length()
            && Character.isLowSurrogate(text.charAt(i))
            && Character.isHighSurrogate(text.charAt(i - 1));
    return inside ? i - 1 : i;
  }

  private static int skipWhitespace(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int trimEnd(String text, int start, int end) {
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /** Places a chunk may end, best first; {@code i} is the exclusive end of the text before. */
  private enum Boundary {
    /** A blank line follows {@code i}. */
    PARAGRAPH {
      @Override
      boolean isAt(String text, int i) {
        if (i >= text.length() || text.charAt(i) != '\n') {
          return false;
        }
        int j = i + 1;
        while (j < text.length()
            && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\r')) {
          j++;
        }
        return j < text.length() && text.charAt(j) == '\n';
      }
    },
    /** A sentence ends just before {@code i}: {@code . ! ?} (maybe a closing quote) and a space. */
    SENTENCE {
      @Override
      boolean isAt(String text, int i) {
        if (i < 1 || i >= text.length() || !Character.isWhitespace(text.charAt(i))) {
          return false;
        }
        int p = i - 1;
        if (p > 0 && "\"')]”’".indexOf(text.charAt(p)) >= 0) {
          p--;
        }
        return ".!?".indexOf(text.charAt(p)) >= 0;
      }
    },
    /** Any whitespace at {@code i}, so no word is cut. */
    WORD {
      @Override
      boolean isAt(String text, int i) {
        return i < text.length() && Character.isWhitespace(text.charAt(i));
      }
    };

    abstract boolean isAt(String text, int i);
  }
}
