package dev.cas.plugins.ragretrieval;

import java.util.Objects;

/**
 * A piece of a document's text.
 *
 * @param ordinal position among the document's chunks, from 0
 * @param start first character of the chunk's source, inclusive
 * @param end last character of the chunk's source, exclusive
 * @param text the chunk's text, as indexed
 */
record Chunk(int ordinal, int start, int end, String text) {
  Chunk {
    Objects.requireNonNull(text, "text");
    if (ordinal < 0 || start < 0 || end <= start) {
      throw new IllegalArgumentException(
          "chunk [" + ordinal + "] has an invalid range [" + start + ", " + end + ")");
    }
  }
}
