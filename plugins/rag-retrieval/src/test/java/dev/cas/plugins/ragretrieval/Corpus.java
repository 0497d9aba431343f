package dev.cas.plugins.ragretrieval;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small corpus of documents on distinct topics; one is Markdown, one is long enough to chunk. */
final class Corpus {

  private Corpus() {}

  static final Map<String, String> DOCUMENTS = new LinkedHashMap<>();

  static {
    DOCUMENTS.put(
        "Photosynthesis",
        "Photosynthesis is how green plants turn sunlight into chemical energy. Chlorophyll in the"
            + " chloroplasts absorbs light. The plant takes in carbon dioxide and water and makes"
            + " glucose, a sugar, releasing oxygen as a by-product.");
    DOCUMENTS.put(
        "Volcanoes",
        "A volcano is an opening in the crust where magma rises. During an eruption, lava flows"
            + " down the slopes and clouds of ash rise high into the air. Mount Etna in Sicily is"
            + " one of the most active volcanoes on Earth; most sit where tectonic plates meet.");
    DOCUMENTS.put(
        "TCP connections",
        "The transmission control protocol opens a connection with a three-way handshake: the"
            + " client sends SYN, the server answers SYN-ACK, and the client confirms with ACK."
            + " Sequence numbers order the bytes, and lost segments are retransmitted.");
    DOCUMENTS.put(
        "Sourdough bread",
        "Sourdough is leavened by a starter of wild yeast and lactobacilli instead of baker's"
            + " yeast. The long fermentation of the dough gives its sour taste. Bakers feed the"
            + " starter with flour and water and bake the loaf in a very hot oven.");
    DOCUMENTS.put(
        "Chess openings",
        "Chess openings are the first moves of a game. Against 1. e4, the Sicilian defence"
            + " answers with c5; the Queen's Gambit starts with d4 and c4, offering a pawn. Good"
            + " openings develop knights and bishops and castle the king early.");
    DOCUMENTS.put(
        "Roman aqueducts",
        """
        # Roman aqueducts

        The Romans built **aqueducts** to carry water from distant springs to their cities.
        Water ran downhill by *gravity* alone, through channels of stone and concrete.

        ## Famous bridges

        Where a valley was in the way, the channel crossed on rows of arches, as on the
        **Pont du Gard** in southern France ([more](https://example.org/pont-du-gard)).
        """);
    DOCUMENTS.put("Fruit of the world", fruit());
  }

  static String formatOf(String title) {
    return title.equals("Roman aqueducts") ? "markdown" : "text";
  }

  /** About 3,000 characters in paragraphs; only the seventh mentions the durian. */
  private static String fruit() {
    String[] fruits = {"apple", "banana", "cherry", "date", "elderberry", "fig", "durian", "grape"};
    StringBuilder text = new StringBuilder();
    for (String f : fruits) {
      String about =
          f.equals("durian")
              ? "The durian is famous for its smell, which some find sweet and others unbearable."
              : "The " + f + " is a common fruit that people eat fresh or cooked.";
      text.append(about)
          .append(" It grows in orchards and gardens, is harvested in its season, and is sold at")
          .append(" markets in many countries. Growers prune the plants, protect them from pests")
          .append(" and pick the fruit by hand when it is ripe. Stores keep it cool and dry.")
          .append(" Recipes differ from one region to the next.\n\n");
    }
    return text.toString();
  }
}
