package dev.cas.plugins.ragretrieval;

import java.util.Locale;

/** How a document's content is written; Markdown is stripped to plain text before chunking. */
enum DocumentFormat {
  TEXT,
  MARKDOWN;

  /** The name stored and shown: {@code text} or {@code markdown}. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws RagException {@code BAD_REQUEST} naming the value and the accepted ones
   */
  static DocumentFormat parse(String id) {
    for (DocumentFormat f : values()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    throw new RagException(
        RagException.Reason.BAD_REQUEST, "format [" + id + "] is not one of [text, markdown]");
  }
}
