package dev.cas.plugins.ragretrieval;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out, with the jackson-jr library the plugin bundles, and the shapes the routes answer
 * with. Outputs are plain maps and lists so the wire format is visible here, in one place.
 */
final class JsonCodec {

  private JsonCodec() {}

  /**
   * A request body as a JSON object.
   *
   * @throws RagException {@code BAD_REQUEST} for an empty body, malformed JSON or a non-object
   */
  static Map<String, Object> readObject(byte[] body) {
    if (body.length == 0) {
      throw new RagException(
          RagException.Reason.BAD_REQUEST, "the request needs a JSON object as its body");
    }
    try {
      Map<String, Object> map = JSON.std.mapFrom(body);
      if (map == null) {
        throw new RagException(
            RagException.Reason.BAD_REQUEST, "the request body must be a JSON object, not null");
      }
      return map;
    } catch (IOException e) {
      throw new RagException(
          RagException.Reason.BAD_REQUEST,
          "the request body is not a JSON object: " + firstLine(e.getMessage()));
    }
  }

  static String write(Object value) {
    try {
      return JSON.std.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  static Map<String, Object> collection(CollectionStore.CollectionInfo c) {
    return object(
        "id", c.id(), "name", c.name(), "documents", c.documents(), "createdAt", c.createdAt());
  }

  static Map<String, Object> document(CollectionStore.DocumentInfo d) {
    return object(
        "id", d.id(),
        "collectionId", d.collectionId(),
        "title", d.title(),
        "format", d.format(),
        "length", d.length(),
        "chunks", d.chunks(),
        "createdAt", d.createdAt());
  }

  static Map<String, Object> documentDetail(CollectionStore.DocumentDetail d) {
    Map<String, Object> out = document(d.info());
    out.put("content", d.content());
    out.put(
        "chunkList",
        d.chunks().stream()
            .map(
                c ->
                    object(
                        "ordinal", c.ordinal(),
                        "startOffset", c.start(),
                        "endOffset", c.end(),
                        "text", c.text()))
            .toList());
    return out;
  }

  static Map<String, Object> searchResult(String query, List<PassageIndex.Hit> hits) {
    List<Map<String, Object>> results = new java.util.ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      PassageIndex.Hit h = hits.get(i);
      results.add(
          object(
              "rank", i + 1,
              "score", round(h.score()),
              "text", h.passage().chunk().text(),
              "highlights", highlights(h),
              "citation", citation(h.passage())));
    }
    return object("query", query, "results", results);
  }

  static Map<String, Object> answer(String question, AnswerComposer.Answer answer) {
    List<Map<String, Object>> citations = new java.util.ArrayList<>();
    for (int i = 0; i < answer.sources().size(); i++) {
      PassageIndex.Hit h = answer.sources().get(i);
      Map<String, Object> c = object("number", i + 1, "score", round(h.score()));
      c.putAll(citation(h.passage()));
      c.put("text", h.passage().chunk().text());
      c.put("highlights", highlights(h));
      citations.add(c);
    }
    return object(
        "question",
        question,
        "answer",
        answer.text(),
        "citations",
        citations,
        "method",
        "extractive: the top passages, quoted; no language model");
  }

  static Map<String, Object> error(RagException e, int status) {
    return object(
        "error", object("code", e.reason().name(), "status", status, "message", e.getMessage()));
  }

  private static Map<String, Object> citation(CollectionStore.Passage p) {
    return object(
        "documentId", p.documentId(),
        "title", p.title(),
        "chunkOrdinal", p.chunk().ordinal(),
        "startOffset", p.chunk().start(),
        "endOffset", p.chunk().end());
  }

  /** Where the query's words are in the hit's text: {@code [{start, end}]}, in text order. */
  private static List<Map<String, Object>> highlights(PassageIndex.Hit h) {
    return h.highlights().stream().map(s -> object("start", s.start(), "end", s.end())).toList();
  }

  private static double round(float score) {
    return Math.round(score * 10_000d) / 10_000d;
  }

  /** An ordered map of alternating keys and values. */
  private static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
