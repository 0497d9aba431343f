package dev.cas.plugins.textblock;

import dev.cas.plugin.api.PluginConfig;

/**
 * How the web component renders blocks, from the plugin's configuration. The host has validated the
 * values against the manifest's {@code configSchema} and filled in its defaults; the fallbacks here
 * only repeat those defaults so that a value the host did not supply still renders.
 *
 * @param fontSize in CSS pixels, 8–72
 * @param alignment {@code left}, {@code center}, {@code right} or {@code justify}
 * @param backgroundColor {@code #rrggbb}
 */
record DisplaySettings(int fontSize, String alignment, String backgroundColor) {

  static final int DEFAULT_FONT_SIZE = 14;
  static final String DEFAULT_ALIGNMENT = "left";
  static final String DEFAULT_BACKGROUND = "#ffffff";

  /** The settings in effect now. */
  static DisplaySettings from(PluginConfig config) {
    return new DisplaySettings(
        config.getLong("fontSize").map(Long::intValue).orElse(DEFAULT_FONT_SIZE),
        config.getString("alignment").orElse(DEFAULT_ALIGNMENT),
        config.getString("backgroundColor").orElse(DEFAULT_BACKGROUND));
  }
}
