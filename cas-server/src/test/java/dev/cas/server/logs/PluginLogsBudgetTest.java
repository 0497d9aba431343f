package dev.cas.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A plugin's ring is bounded by bytes as well as lines: a plugin that logs only lines at the
 * appender's cap keeps a few dozen of them, not a thousand, and the count of dropped lines says how
 * many went.
 */
class PluginLogsBudgetTest {

  private static String text(int chars, char c) {
    return String.valueOf(c).repeat(chars);
  }

  @Test
  void longLinesAreKeptWithinTheByteBudgetAndTheRestCounted() {
    try (PluginLogs logs = PluginLogs.start()) {
      String capped = text(PluginLogAppender.MAX_MESSAGE, 'x');
      for (int i = 0; i < 500; i++) {
        logs.append("flood", Instant.now(), "INFO", "plugin.flood", "t", capped);
      }
      PluginLogs.Page page = logs.lines("flood", LogLevel.TRACE, Optional.empty());
      assertThat(logs.bytes("flood")).isLessThanOrEqualTo(PluginLogs.BYTE_CAPACITY);
      assertThat(page.lines()).hasSizeLessThan(100).isNotEmpty();
      assertThat(page.dropped()).isEqualTo(500 - page.lines().size());
      // The newest line is kept.
      assertThat(page.lines().getLast().seq()).isEqualTo(500);
    }
  }

  @Test
  void characterOutsideLatin1CostsTwoBytesEach() {
    try (PluginLogs logs = PluginLogs.start()) {
      logs.append("wide", Instant.now(), "INFO", "l", "t", text(1000, 'x'));
      long narrow = logs.bytes("wide");
      logs.append("wide2", Instant.now(), "INFO", "l", "t", text(1000, 'λ'));
      assertThat(logs.bytes("wide2") - narrow).isEqualTo(1000);
    }
  }

  @Test
  void shortLinesAreBoundedByTheLineCount() {
    try (PluginLogs logs = PluginLogs.start()) {
      for (int i = 0; i < PluginLogs.CAPACITY + 50; i++) {
        logs.append("chatty", Instant.now(), "INFO", "plugin.chatty", "t", "line " + i);
      }
      PluginLogs.Page page = logs.lines("chatty", LogLevel.TRACE, Optional.empty());
      assertThat(page.lines()).hasSize(PluginLogs.CAPACITY);
      assertThat(page.dropped()).isEqualTo(50);
      assertThat(logs.bytes("chatty")).isLessThanOrEqualTo(PluginLogs.BYTE_CAPACITY);
    }
  }

  @Test
  void theCutNoteKeepsALatin1MessageCompact() {
    assertThat(PluginLogs.cost(new LogLine(1, Instant.now(), "INFO", "l", "t", "ab... (cut)")))
        .isEqualTo(PluginLogs.LINE_OVERHEAD + 11 + 1 + 1 + 4);
  }
}
