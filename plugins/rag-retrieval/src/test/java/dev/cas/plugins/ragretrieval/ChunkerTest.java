package dev.cas.plugins.ragretrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  /** Numbered sentences of about 40 characters, so boundaries are easy to see. */
  private static String sentences(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> "Sentence number " + i + " says something short.")
        .collect(Collectors.joining(" "));
  }

  @Test
  void shortTextIsOneTrimmedChunk() {
    List<Chunk> chunks = new Chunker(100, 20).split("  Hello world.  \n");

    assertThat(chunks).containsExactly(new Chunk(0, 2, 14, "Hello world."));
  }

  @Test
  void blankTextMakesNoChunks() {
    assertThat(new Chunker(100, 20).split(" \n\t ")).isEmpty();
    assertThat(new Chunker(100, 20).split("")).isEmpty();
  }

  @Test
  void chunksStayWithinSizeMatchTheirOffsetsAndCoverTheText() {
    String text = sentences(60);

    List<Chunk> chunks = new Chunker(200, 50).split(text);

    assertThat(chunks).hasSizeGreaterThan(10);
    assertThat(chunks.getFirst().start()).isZero();
    assertThat(chunks.getLast().end()).isEqualTo(text.length());
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      assertThat(c.ordinal()).isEqualTo(i);
      assertThat(c.text())
          .hasSizeLessThanOrEqualTo(200)
          .isEqualTo(text.substring(c.start(), c.end()));
      if (i > 0) {
        Chunk previous = chunks.get(i - 1);
        assertThat(c.start()).isGreaterThan(previous.start()).isLessThan(previous.end());
      }
    }
  }

  @Test
  void chunksEndAfterSentencesAndOverlapStartsAtASentence() {
    List<Chunk> chunks = new Chunker(200, 50).split(sentences(30));

    for (Chunk c : chunks) {
      assertThat(c.text()).startsWith("Sentence number ").endsWith("short.");
    }
  }

  @Test
  void paragraphBreaksWinOverLaterSentenceEnds() {
    String first = "First paragraph. " + "It has words. ".repeat(8);
    String text = first.strip() + "\n\n" + "Second paragraph. " + "More words here. ".repeat(10);

    List<Chunk> chunks = new Chunker(200, 0).split(text);

    assertThat(chunks.getFirst().text()).isEqualTo(first.strip());
    assertThat(chunks.get(1).text()).startsWith("Second paragraph.");
  }

  @Test
  void withoutOverlapChunksAreDisjointAndStartAfterWhitespace() {
    String text = sentences(20);

    List<Chunk> chunks = new Chunker(150, 0).split(text);

    for (int i = 1; i < chunks.size(); i++) {
      assertThat(chunks.get(i).start()).isGreaterThan(chunks.get(i - 1).end());
    }
    String joined = chunks.stream().map(Chunk::text).collect(Collectors.joining(" "));
    assertThat(joined).isEqualTo(text);
  }

  @Test
  void textWithoutBreaksIsCutAtSize() {
    String text = "x".repeat(250);

    List<Chunk> chunks = new Chunker(100, 0).split(text);

    assertThat(chunks)
        .extracting(Chunk::start, Chunk::end)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 100),
            org.assertj.core.groups.Tuple.tuple(100, 200),
            org.assertj.core.groups.Tuple.tuple(200, 250));
  }

  @Test
  void neverCutsACharacterOutsideTheBasicPlaneInTwo() {
    String text = "x".repeat(99) + "\uD83D\uDE00" + "y".repeat(150);

    List<Chunk> chunks = new Chunker(100, 10).split(text);

    assertThat(chunks.getFirst().end()).isEqualTo(99);
    for (Chunk c : chunks) {
      assertThat(Character.isLowSurrogate(text.charAt(c.start()))).isFalse();
      assertThat(Character.isHighSurrogate(text.charAt(c.end() - 1))).isFalse();
    }
  }

  @Test
  void overlapRepeatsTheEndOfThePreviousChunk() {
    String text = "word ".repeat(100).strip();

    List<Chunk> chunks = new Chunker(100, 30).split(text);

    for (int i = 1; i < chunks.size(); i++) {
      int overlap = chunks.get(i - 1).end() - chunks.get(i).start();
      assertThat(overlap).isBetween(1, 30);
    }
  }

  @Test
  void rejectsOverlapNotBelowSize() {
    assertThatThrownBy(() -> new Chunker(100, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chunk overlap [100] must be at least 0 and less than chunk size [100]");
    assertThatThrownBy(() -> new Chunker(100, -1))
        .hasMessage("chunk overlap [-1] must be at least 0 and less than chunk size [100]");
  }

  @Test
  void refusesTextThatWouldMakeTooManyChunks() {
    String text = "ab ".repeat(30_000);

    assertThatThrownBy(() -> new Chunker(100, 99).split(text))
        .isInstanceOf(RagException.class)
        .hasMessage(
            "a text of 90000 characters makes more than 20000 chunks of size [100] with overlap"
                + " [99]; split the document or use a larger chunkSize");
  }
}
