package dev.cas.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.PackageException;
import dev.cas.runtime.PluginRuntimeException;
import dev.cas.server.HostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md has a row for every refusal code there is, and no row for one there is
 * not. The codes come from the code itself: the reason enums by reflection, the host's other
 * envelope codes and the sandbox's operations (a module this class path does not hold) by reading
 * their sources. The HTTP status of each row is the one {@link ApiErrors} answers.
 */
class TroubleshootingDocTest {

  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path DOC = ROOT.resolve("docs/troubleshooting.md");

  /** A table row: the code in back-quotes in the first cell, the rest of the row. */
  static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Za-z0-9_<>]*)` \\|([^|]*)\\|", 8);

  @Test
  void everyCodeInTheCodeHasARowAndEveryRowACode() throws IOException {
    Set<String> inCode = new TreeSet<>();
    inCode.addAll(names(PackageException.Reason.values()));
    inCode.addAll(names(PluginRuntimeException.Reason.values()));
    inCode.addAll(names(HostException.Reason.values()));
    inCode.addAll(envelopeCodes());
    inCode.addAll(
        enumConstants(
            ROOT.resolve(
                "cas-sandbox/src/main/java/dev/cas/sandbox/checker/PluginPermissionDenied.java"),
            "Operation"));

    Set<String> inDoc = rows().keySet();

    assertThat(new TreeSet<>(inCode))
        .as("codes the host or its tools can give but " + DOC + " does not explain")
        .allMatch(inDoc::contains, "has a row in troubleshooting.md")
        .isNotEmpty();
    assertThat(new TreeSet<>(inDoc))
        .as("rows of " + DOC + " naming a code that no longer exists")
        .allMatch(inCode::contains, "is a code of the host or its tools");
  }

  @Test
  void eachRowSaysTheStatusTheHostAnswers() throws IOException {
    Map<String, String> rows = rows();
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (PackageException.Reason r : PackageException.Reason.values()) {
      expected.put(r.name(), ApiErrors.of(new PackageException(r, "x")).status());
    }
    for (PluginRuntimeException.Reason r : PluginRuntimeException.Reason.values()) {
      expected.put(r.name(), ApiErrors.of(new PluginRuntimeException(r, "p", "x")).status());
    }
    for (HostException.Reason r : HostException.Reason.values()) {
      expected.put(r.name(), ApiErrors.of(new HostException(r, "x")).status());
    }
    expected.put("INTERNAL_ERROR", ApiErrors.of(new IllegalStateException("x")).status());
    expected.forEach(
        (code, status) ->
            assertThat(rows.get(code))
                .as("HTTP status of " + code + " in " + DOC)
                .isEqualTo(String.valueOf(status)));
  }

  /** Code → the second cell of its row (the HTTP status; empty-ish for sandbox operations). */
  static Map<String, String> rows() throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    Matcher m = ROW.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
    while (m.find()) {
      assertThat(rows.put(m.group(1), m.group(2).strip()))
          .as("second row for " + m.group(1))
          .isNull();
    }
    return rows;
  }

  /** The codes {@code ApiErrors} and {@code HttpApi} write into the envelope themselves. */
  static Set<String> envelopeCodes() throws IOException {
    Path http = ROOT.resolve("cas-server/src/main/java/dev/cas/server/http");
    Set<String> codes = new TreeSet<>();
    Matcher m =
        Pattern.compile("new ApiError\\(\\s*\\d+,\\s*\"([A-Z_]+)\"")
            .matcher(Files.readString(http.resolve("ApiErrors.java")));
    while (m.find()) {
      codes.add(m.group(1));
    }
    if (Files.readString(http.resolve("HttpApi.java")).contains("\"HTTP_\" + ")) {
      codes.add("HTTP_<status>");
    }
    assertThat(codes).contains("INTERNAL_ERROR", "HTTP_<status>");
    return codes;
  }

  /** The constants of {@code enum <name>} in a source file, comments left out. */
  static Set<String> enumConstants(Path source, String name) throws IOException {
    String text =
        Files.readString(source, StandardCharsets.UTF_8)
            .replaceAll("(?s)/\\*.*?\\*/", "")
            .replaceAll("//[^\n]*", "");
    int start = text.indexOf("enum " + name + " {");
    assertThat(start).as("enum " + name + " in " + source).isNotNegative();
    int open = text.indexOf('{', start);
    int end = text.indexOf(';', open);
    String body = text.substring(open + 1, end).replaceAll("\\([^)]*\\)", "");
    Set<String> constants =
        Arrays.stream(body.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(constants).allMatch(c -> c.matches("[A-Z][A-Z0-9_]*"), "is a constant name");
    return constants;
  }

  private static Set<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.toSet());
  }
}
