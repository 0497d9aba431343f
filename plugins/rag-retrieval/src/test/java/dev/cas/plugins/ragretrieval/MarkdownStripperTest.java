package dev.cas.plugins.ragretrieval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownStripperTest {

  @Test
  void keepsTheTextAReaderSees() {
    String md =
        """
        # Roman *aqueducts*

        > Water **ran** downhill, see [the arches](https://example.org/arches "x").
        - one `item`
        1. snake_case_name stays, _emphasis_ goes
        ---
        <b>bold</b> and ~~gone~~ \\*kept\\* <https://example.org>
        [ref]: https://example.org
        | a | b |
        |---|---|
        """;

    assertThat(MarkdownStripper.strip(md).text())
        .isEqualTo(
            """
            Roman aqueducts

            Water ran downhill, see the arches.
            one item
            snake_case_name stays, emphasis goes

            bold and gone *kept* https://example.org

              a   b \s

            """);
  }

  @Test
  void keepsCodeBlockContentAndDropsFences() {
    String md = "Before\n```java\nint x = 1;\n```\nAfter";

    assertThat(MarkdownStripper.strip(md).text()).isEqualTo("Before\n\nint x = 1;\n\nAfter");
  }

  @Test
  void chunksOfStrippedTextCiteTheirRangeInTheMarkdown() {
    String md = "## Heading\n\nSome **bold claim** and [a link](http://x).";
    PlainText plain = MarkdownStripper.strip(md);
    int at = plain.text().indexOf("bold claim and a link");
    Chunk stripped =
        new Chunk(0, at, at + "bold claim and a link".length(), "bold claim and a link");

    Chunk original = plain.toOriginal(stripped);

    assertThat(md.substring(original.start(), original.end()))
        .isEqualTo("bold claim** and [a link");
    assertThat(original.text()).isEqualTo("bold claim and a link");
  }

  @Test
  void plainTextIsItsOwnOrigin() {
    PlainText plain = PlainText.from("# not a heading", DocumentFormat.TEXT);

    assertThat(plain.text()).isEqualTo("# not a heading");
    assertThat(plain.toOriginal(new Chunk(0, 2, 5, "not"))).isEqualTo(new Chunk(0, 2, 5, "not"));
  }
}
