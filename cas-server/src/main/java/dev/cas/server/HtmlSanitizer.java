package dev.cas.server;

import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;

/** Cleans HTML documentation on the way in: no scripts, event handlers or javascript: links. */
final class HtmlSanitizer {

  private HtmlSanitizer() {}

  static String clean(String html) {
    return Jsoup.clean(html, Safelist.relaxed());
  }
}
