package dev.cas.plugins.ragretrieval;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown to the plain text a reader sees, for indexing: block markers (headings, quotes, list
 * bullets), code fences, rules, reference definitions, HTML tags, emphasis and code marks and link
 * targets are dropped; link and image text is kept. Line breaks are kept, so paragraphs stay
 * paragraphs for the chunker. Every character kept remembers its position in the Markdown.
 *
 * <p>Not a full CommonMark parser: it aims at text that indexes well, not at rendering.
 */
final class MarkdownStripper {

  /** Leading block markers, possibly nested: {@code > - ## }. */
  private static final Pattern BLOCK_PREFIX =
      Pattern.compile(
          "^[ \\t]{0,3}(?:(?:#{1,6}[ \\t]+|>[ \\t]?|[-*+][ \\t]+|\\d{1,9}[.)][ \\t]+))*");

  /** A line that draws a rule, underlines a heading or separates a table's header. */
  private static final Pattern RULE =
      Pattern.compile(
          "^[ \\t]*(?:(?:[-*_=][ \\t]*){3,}|\\|?(?:[ \\t]*:?-+:?[ \\t]*\\|)+[ \\t]*:?-*:?[ \\t]*)$");

  private static final Pattern FENCE = Pattern.compile("^[ \\t]{0,3}(```|~~~)");
  private static final Pattern REFERENCE_DEFINITION =
      Pattern.compile("^[ \\t]{0,3}\\[[^\\]]+]:\\s");

  /** {@code [text](target)}, {@code ![alt](target)}, {@code [text][ref]}; group 1 is the text. */
  private static final Pattern LINK =
      Pattern.compile("!?\\[([^\\]\\n]*)](?:\\([^)\\n]*\\)|\\[[^\\]\\n]*])");

  private static final Pattern HTML_TAG =
      Pattern.compile("</?[A-Za-z][A-Za-z0-9-]*(?:\\s[^<>]*)?/?>");
  private static final Pattern AUTOLINK = Pattern.compile("<((?:https?|mailto):[^<>\\s]+)>");

  private MarkdownStripper() {}

  static PlainText strip(String markdown) {
    PlainText.Builder out = new PlainText.Builder();
    boolean inFence = false;
    int lineStart = 0;
    while (lineStart <= markdown.length()) {
      int newline = markdown.indexOf('\n', lineStart);
      int lineEnd = newline < 0 ? markdown.length() : newline;
      String line = markdown.substring(lineStart, lineEnd);
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
      } else if (inFence) {
        copy(markdown, lineStart, lineEnd, out);
      } else if (!RULE.matcher(line).matches() && !REFERENCE_DEFINITION.matcher(line).find()) {
        Matcher prefix = BLOCK_PREFIX.matcher(line);
        int from = prefix.lookingAt() ? prefix.end() : 0;
        inline(markdown, lineStart + from, lineEnd, out);
      }
      if (newline < 0) {
        break;
      }
      out.append('\n', newline);
      lineStart = newline + 1;
    }
    return out.build();
  }

  /** Inline Markdown of {@code [from, to)}: keeps text, drops marks, tags and link targets. */
  private static void inline(String md, int from, int to, PlainText.Builder out) {
    Matcher link = LINK.matcher(md);
    Matcher tag = HTML_TAG.matcher(md);
    Matcher autolink = AUTOLINK.matcher(md);
    int i = from;
    while (i < to) {
      char c = md.charAt(i);
      if ((c == '[' || c == '!') && startsAt(link, i, to)) {
        inline(md, link.start(1), link.end(1), out);
        i = link.end();
      } else if (c == '<' && startsAt(autolink, i, to)) {
        copy(md, autolink.start(1), autolink.end(1), out);
        i = autolink.end();
      } else if (c == '<' && startsAt(tag, i, to)) {
        i = tag.end();
      } else if (c == '\\' && i + 1 < to && isAsciiPunctuation(md.charAt(i + 1))) {
        out.append(md.charAt(i + 1), i + 1);
        i += 2;
      } else if (c == '*' || c == '`' || (c == '~' && i + 1 < to && md.charAt(i + 1) == '~')) {
        i += c == '~' ? 2 : 1;
      } else if (c == '_' && !(isWordChar(md, i - 1) && isWordChar(md, i + 1))) {
        i++;
      } else {
        out.append(c == '|' ? ' ' : c, i);
        i++;
      }
    }
  }

  /** Whether the pattern matches at {@code i}, within {@code to}. */
  private static boolean startsAt(Matcher m, int i, int to) {
    return m.region(i, to).lookingAt();
  }

  private static void copy(String md, int from, int to, PlainText.Builder out) {
    for (int i = from; i < to; i++) {
      out.append(md.charAt(i), i);
    }
  }

  /** Whether {@code md[i]} exists and is a letter or digit (then {@code _} joins words). */
  private static boolean isWordChar(String md, int i) {
    return i >= 0 && i < md.length() && Character.isLetterOrDigit(md.charAt(i));
  }

  private static boolean isAsciiPunctuation(char c) {
    return c < 128 && !Character.isLetterOrDigit(c) && !Character.isWhitespace(c) && c > ' ';
  }
}
