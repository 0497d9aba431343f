package dev.cas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The example of {@code docs/migrating-from-pf4j.md}: a {@code sh} block holding one command line,
 * then a {@code text} block with its output, which the tests compare with what the command prints.
 */
final class MigratingDocs {

  static final Path FILE = Path.of("..", "docs", "migrating-from-pf4j.md");

  private MigratingDocs() {}

  /** The output block that follows the command block holding exactly {@code command}. */
  static String output(String command) {
    String doc;
    try {
      doc = Files.readString(FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String marker = "```sh\n" + command + "\n```\n";
    int at = doc.indexOf(marker);
    if (at < 0) {
      throw new IllegalStateException(FILE + " shows no command block [" + command + "]");
    }
    int start = doc.indexOf("```text\n", at + marker.length());
    int end = doc.indexOf("```\n", start + 8);
    return doc.substring(start + 8, end);
  }
}
