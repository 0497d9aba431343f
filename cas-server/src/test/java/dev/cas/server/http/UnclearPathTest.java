package dev.cas.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which path segments the host refuses because the router would read them as another path ({@code
 * ;parameters}, dot segments, plain or percent-encoded, encoded separators). The refusal on a real
 * host is in {@code PluginAssetsTest}.
 */
class UnclearPathTest {

  @Test
  void segmentsThatReadAsAnotherPathAreNamed() {
    assertThat(HttpApi.unclearSegment("/api/plugins/p/x/..;/..;/users")).isEqualTo("..;");
    assertThat(HttpApi.unclearSegment("/api/plugins/p/config;x")).isEqualTo("config;x");
    assertThat(HttpApi.unclearSegment("/api/plugins/p/%2e%2e/users")).isEqualTo("%2e%2e");
    assertThat(HttpApi.unclearSegment("/api/plugins/p/%2E/x")).isEqualTo("%2E");
    assertThat(HttpApi.unclearSegment("/api/plugins/p/a%2Fb")).isEqualTo("a%2Fb");
    assertThat(HttpApi.unclearSegment("/api/plugins/p/a%5cb")).isEqualTo("a%5cb");
    assertThat(HttpApi.unclearSegment("/api/plugins/p/a%3Bb")).isEqualTo("a%3Bb");
    assertThat(HttpApi.unclearSegment("/api/plugins/p/%zz")).isEqualTo("%zz");
    for (String clear :
        List.of(
            "/api/users",
            "/api/plugins/text-block/blocks/1f2e",
            "/api/plugins/p/docs/guide.md",
            "/api/plugins/p/a+b",
            "/api/plugins/p/caf%C3%A9",
            "/api/plugins/p/...")) {
      assertThat(HttpApi.unclearSegment(clear)).as(clear).isNull();
    }
  }
}
