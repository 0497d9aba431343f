package dev.cas.plugins.ragretrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.junit.jupiter.api.Test;

class PassageIndexTest {

  private static CollectionStore.Passage passage(long id, String title, String text) {
    return new CollectionStore.Passage(id, id * 10, title, new Chunk(0, 0, text.length(), text));
  }

  private static final List<CollectionStore.Passage> PASSAGES =
      List.of(
          passage(1, "Bees", "Honey bees collect nectar and pollen from flowers."),
          passage(2, "Glaciers", "Glaciers carve valleys as the ice slowly flows downhill."),
          passage(3, "Compilers", "A compiler translates source code into machine instructions."));

  @Test
  void ranksThePassageAboutTheQueryFirstWithStemming() {
    try (EnglishAnalyzer analyzer = new EnglishAnalyzer()) {
      PassageIndex index = PassageIndex.build(PASSAGES, analyzer);

      List<PassageIndex.Hit> hits = index.search("how is ice flowing in a glacier", 3);

      assertThat(hits).isNotEmpty();
      assertThat(hits.getFirst().passage().title()).isEqualTo("Glaciers");
      assertThat(hits.getFirst().score()).isPositive();
    }
  }

  @Test
  void queriesAreTextNeverSyntax() {
    try (EnglishAnalyzer analyzer = new EnglishAnalyzer()) {
      PassageIndex index = PassageIndex.build(PASSAGES, analyzer);

      assertThat(index.search("bees: AND (compiler* OR \"", 3))
          .extracting(h -> h.passage().title())
          .contains("Bees", "Compilers");
      assertThat(index.search("the and of", 3)).isEmpty();
      assertThat(index.search("zebra", 3)).isEmpty();
    }
  }

  @Test
  void hitsMarkTheQueryWordsInTheirTextStemmedAndWithoutStopWords() {
    try (EnglishAnalyzer analyzer = new EnglishAnalyzer()) {
      PassageIndex index = PassageIndex.build(PASSAGES, analyzer);

      PassageIndex.Hit hit = index.search("the flowing glacier", 1).getFirst();

      String text = hit.passage().chunk().text();
      assertThat(hit.highlights())
          .extracting(s -> text.substring(s.start(), s.end()))
          .containsExactly("Glaciers", "flows");
    }
  }

  @Test
  void anEmptyCollectionFindsNothing() {
    try (EnglishAnalyzer analyzer = new EnglishAnalyzer()) {
      assertThat(PassageIndex.build(List.of(), analyzer).search("anything", 5)).isEmpty();
    }
  }
}
