package dev.cas.plugins.textblock;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates request bodies and path parameters, apart from the actions that use them.
 * Every refusal is a {@link TextBlockException.Reason#BAD_REQUEST} whose message names the field
 * and the rule, so a client can show it as is.
 */
final class BlockRequest {

  static final int TITLE_MAX = 200;
  static final int CONTENT_MAX = 20_000;
  static final int POSITION_MAX = 10_000;
  static final List<String> FIELDS = List.of("title", "content", "position");

  // Two "title" keys in one body would leave it to the parser which one wins: refuse instead.
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private BlockRequest() {}

  /** The body of {@code POST /blocks}: title and content required, position defaults to 0. */
  record NewBlock(String title, String content, int position) {}

  /** The body of {@code PUT /blocks/{blockId}}: the fields to change, at least one. */
  record BlockChanges(
      Optional<String> title, Optional<String> content, Optional<Integer> position) {

    /** The block with these changes applied. */
    NewBlock applyTo(TextBlock current) {
      return new NewBlock(
          title.orElse(current.title()),
          content.orElse(current.content()),
          position.orElse(current.position()));
    }
  }

  static NewBlock newBlock(byte[] body) {
    JsonNode json = object(body);
    return new NewBlock(
        title(json).orElseThrow(() -> required("title")),
        content(json).orElseThrow(() -> required("content")),
        position(json).orElse(0));
  }

  static BlockChanges changes(byte[] body) {
    JsonNode json = object(body);
    if (json.isEmpty()) {
      throw TextBlockException.badRequest(
          "request body names no field to change; send any of " + FIELDS);
    }
    return new BlockChanges(title(json), content(json), position(json));
  }

  /**
   * The block id of a path, lower-cased. A value that is not a UUID cannot name a block, so it is
   * answered like any unknown id (and never reaches SQL, where it would fail the cast).
   */
  static String blockId(String raw) {
    String id = raw.toLowerCase(Locale.ROOT);
    if (!UUID.matcher(id).matches()) {
      throw TextBlockException.blockNotFound(raw);
    }
    return id;
  }

  private static JsonNode object(byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JacksonException e) {
      throw TextBlockException.badRequest(
          "request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw TextBlockException.badRequest(
          "request body must be a JSON object such as {\"title\": \"Notes\", \"content\": \"…\"}");
    }
    for (String name : json.propertyNames()) {
      if (!FIELDS.contains(name)) {
        throw TextBlockException.badRequest(
            "field [" + name + "] is not allowed; allowed fields are " + FIELDS);
      }
    }
    return json;
  }

  private static Optional<String> title(JsonNode json) {
    return string(json, "title")
        .map(
            raw -> {
              String title = raw.strip();
              if (title.isEmpty()) {
                throw TextBlockException.badRequest("field [title] must not be blank");
              }
              if (title.chars().anyMatch(Character::isISOControl)) {
                throw TextBlockException.badRequest(
                    "field [title] must be one line without control characters");
              }
              return maxLength("title", title, TITLE_MAX);
            });
  }

  private static Optional<String> content(JsonNode json) {
    return string(json, "content").map(content -> maxLength("content", content, CONTENT_MAX));
  }

  private static Optional<Integer> position(JsonNode json) {
    JsonNode node = json.get("position");
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isIntegralNumber()
        || !node.canConvertToInt()
        || node.intValue() < 0
        || node.intValue() > POSITION_MAX) {
      throw TextBlockException.badRequest(
          "field [position] must be an integer from 0 to "
              + POSITION_MAX
              + " but was "
              + describe(node));
    }
    return Optional.of(node.intValue());
  }

  private static Optional<String> string(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isString()) {
      throw TextBlockException.badRequest(
          "field [" + field + "] must be a string but was " + describe(node));
    }
    return Optional.of(node.asString());
  }

  private static String maxLength(String field, String value, int max) {
    int length = value.codePointCount(0, value.length());
    if (length > max) {
      throw TextBlockException.badRequest(
          "field [" + field + "] must be at most " + max + " characters but has " + length);
    }
    return value;
  }

  /** The JSON type, and the value when it is a short scalar: {@code number [12]}, {@code array}. */
  private static String describe(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
    String text = node.toString();
    return node.isValueNode() && text.length() <= 40 ? type + " [" + text + "]" : type;
  }

  private static TextBlockException required(String field) {
    return TextBlockException.badRequest("field [" + field + "] is required");
  }
}
