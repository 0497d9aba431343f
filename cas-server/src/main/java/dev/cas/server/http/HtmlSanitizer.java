package dev.cas.server.http;

import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;

/** Cleans HTML documentation on the way in: no scripts, event handlers or javascript: links. */
public final class HtmlSanitizer {

  private HtmlSanitizer() {}

  public static String clean(String html) {
    return Jsoup.clean(html, Safelist.relaxed());
  }
}
