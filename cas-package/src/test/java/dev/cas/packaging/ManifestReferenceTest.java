package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed docs/manifest-reference.md is what {@link ManifestReference} makes of the schema,
 * so a change to the schema that does not regenerate the page fails the build. With {@code
 * -Dcas.regenerate=true} the test writes the page instead.
 */
class ManifestReferenceTest {

  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final String REGENERATE =
      "./mvnw -B -o test -pl cas-package -am -Dtest=ManifestReferenceTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dcas.regenerate=true";

  @Test
  void committedReferenceIsGeneratedFromTheSchema() throws IOException {
    JsonNode schema = JsonMapper.builder().build().readTree(ROOT.resolve(ManifestReference.SCHEMA));
    String generated = ManifestReference.render(schema);
    Path committed = ROOT.resolve(ManifestReference.OUTPUT);
    if (Boolean.getBoolean("cas.regenerate")) {
      Files.writeString(committed, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(committed))
        .as(committed + " is missing; generate it with: " + REGENERATE)
        .isTrue();
    assertThat(Files.readString(committed, StandardCharsets.UTF_8))
        .as(
            committed
                + " is not what the schema generates; edit the schema, not the page, and"
                + " regenerate it with: "
                + REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void everyFieldOfTheSchemaHasADescription() throws IOException {
    JsonNode schema = JsonMapper.builder().build().readTree(ROOT.resolve(ManifestReference.SCHEMA));
    assertThat(undescribed(schema, "", new java.util.ArrayList<>()))
        .as("fields of " + ManifestReference.SCHEMA + " without a description")
        .isEmpty();
  }

  @Test
  void rendersTheRulesOfAField() {
    JsonNode schema =
        JsonMapper.builder()
            .build()
            .readTree(
                """
                {"title": "T", "description": "D.", "required": ["a"],
                 "properties": {"a": {"description": "An a.", "type": "string", "minLength": 1,
                                      "maxLength": 9, "pattern": "^x|y$"},
                                "b": {"description": "A b.", "enum": ["p", "q"]}}}""");
    assertThat(ManifestReference.render(schema))
        .contains(
            "| `a` | string | required; 1–9 chars; matches `^x\\|y$` | An a. |\n"
                + "| `b` | one of `p`, `q` |  | A b. |\n");
  }

  private static java.util.List<String> undescribed(
      JsonNode object, String prefix, java.util.List<String> missing) {
    for (Map.Entry<String, JsonNode> p : object.path("properties").properties()) {
      if (!p.getValue().has("description")) {
        missing.add(prefix + p.getKey());
      }
      undescribed(p.getValue(), prefix + p.getKey() + ".", missing);
    }
    for (Map.Entry<String, JsonNode> d : object.path("$defs").properties()) {
      undescribed(d.getValue(), "$defs." + d.getKey() + ".", missing);
    }
    return missing;
  }
}
