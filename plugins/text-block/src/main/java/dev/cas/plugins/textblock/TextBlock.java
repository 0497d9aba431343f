package dev.cas.plugins.textblock;

import java.util.Objects;

/**
 * One stored block, as the API returns it. The owner is not part of it: a caller only ever sees
 * their own blocks.
 *
 * @param id the block's id, a UUID
 * @param title the heading shown above the content
 * @param content the text, shown as written (never interpreted as HTML)
 * @param position the sort key on the dashboard, lowest first
 * @param createdAt when it was created, ISO-8601 UTC
 * @param updatedAt when it last changed, ISO-8601 UTC
 */
record TextBlock(
    String id, String title, String content, int position, String createdAt, String updatedAt) {

  TextBlock {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
