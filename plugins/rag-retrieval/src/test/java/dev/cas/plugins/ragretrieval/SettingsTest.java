package dev.cas.plugins.ragretrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void acceptsTheRangesOfTheConfigSchema() {
    assertThat(new Settings(100, 0, 1)).isNotNull();
    assertThat(new Settings(10_000, 500, 50)).isNotNull();
    assertThat(new Settings(501, 500, 5).chunker()).isNotNull();
  }

  @Test
  void refusesOverlapNotBelowSizeNamingBoth() {
    assertThatThrownBy(() -> new Settings(300, 300, 5))
        .isInstanceOf(RagException.class)
        .hasMessage(
            "chunkOverlap [300] must be less than chunkSize [300]: change the plugin's configuration")
        .extracting(e -> ((RagException) e).reason())
        .isEqualTo(RagException.Reason.CONFIG_INVALID);
  }

  @Test
  void refusesValuesOutsideTheirRange() {
    assertThatThrownBy(() -> new Settings(99, 0, 5))
        .hasMessage("chunkSize [99] must be between 100 and 10000");
    assertThatThrownBy(() -> new Settings(1000, 501, 5))
        .hasMessage("chunkOverlap [501] must be between 0 and 500");
    assertThatThrownBy(() -> new Settings(1000, 200, 51))
        .hasMessage("maxResults [51] must be between 1 and 50");
  }
}
