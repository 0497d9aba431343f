package dev.cas.plugins.ragretrieval;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The request bodies the routes accept, parsed and checked before any action runs. Unknown fields
 * are refused, so a misspelt field is an error rather than silently ignored.
 */
final class Requests {

  static final int MAX_NAME = 200;
  static final int MAX_TITLE = 500;
  static final int MAX_CONTENT = 1_000_000;
  static final int MAX_QUERY = 2_000;

  private Requests() {}

  /** {@code {name}}. */
  record NewCollection(String name) {
    static NewCollection from(Map<String, Object> body) {
      onlyFields(body, "name");
      return new NewCollection(requiredText(body, "name", MAX_NAME));
    }
  }

  /** {@code {title, content, format?}}; format {@code text} (default) or {@code markdown}. */
  record NewDocument(String title, String content, DocumentFormat format) {
    static NewDocument from(Map<String, Object> body) {
      onlyFields(body, "title", "content", "format");
      String content = requiredText(body, "content", MAX_CONTENT);
      DocumentFormat format =
          body.containsKey("format")
              ? DocumentFormat.parse(requiredText(body, "format", 20))
              : DocumentFormat.TEXT;
      return new NewDocument(requiredText(body, "title", MAX_TITLE), content, format);
    }
  }

  /**
   * {@code {query, limit?}} for search or {@code {question, limit?}} for answer.
   *
   * @param text the query or question
   * @param limit passages asked for; empty for the configured maxResults
   */
  record Question(String text, OptionalInt limit) {
    static Question from(Map<String, Object> body, String field) {
      onlyFields(body, field, "limit");
      return new Question(requiredText(body, field, MAX_QUERY), optionalLimit(body));
    }
  }

  private static OptionalInt optionalLimit(Map<String, Object> body) {
    Object value = body.get("limit");
    if (value == null) {
      return OptionalInt.empty();
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw bad("field [limit] must be an integer but was [" + value + "]");
    }
    long n = ((Number) value).longValue();
    return OptionalInt.of((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n)));
  }

  /** A required string field, trimmed, not blank, at most {@code max} characters. */
  private static String requiredText(Map<String, Object> body, String field, int max) {
    Object value = body.get(field);
    if (!(value instanceof String s)) {
      throw bad(
          value == null
              ? "field [" + field + "] is required"
              : "field [" + field + "] must be a string but was [" + value + "]");
    }
    String trimmed = s.strip();
    if (trimmed.isEmpty()) {
      throw bad("field [" + field + "] must not be blank");
    }
    if (s.length() > max) {
      throw new RagException(
          max >= MAX_CONTENT ? RagException.Reason.TOO_LARGE : RagException.Reason.BAD_REQUEST,
          "field ["
              + field
              + "] has "
              + s.length()
              + " characters; at most "
              + max
              + " are allowed");
    }
    return field.equals("content") ? s : trimmed;
  }

  private static void onlyFields(Map<String, Object> body, String... allowed) {
    Set<String> unknown = new TreeSet<>(body.keySet());
    unknown.removeAll(List.of(allowed));
    if (!unknown.isEmpty()) {
      throw bad("unknown fields " + unknown + "; this request takes " + List.of(allowed));
    }
  }

  private static RagException bad(String message) {
    return new RagException(RagException.Reason.BAD_REQUEST, message);
  }
}
