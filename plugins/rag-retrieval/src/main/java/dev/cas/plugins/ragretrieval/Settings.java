package dev.cas.plugins.ragretrieval;

import dev.cas.plugin.api.PluginConfig;

/**
 * The plugin's configuration as values. The host checks each key against the manifest's
 * configSchema (ranges included) but cannot check one key against another, so the rule that
 * chunkOverlap stays below chunkSize is checked here: a violating configuration refuses activation,
 * makes the plugin unhealthy and refuses new documents, naming both values.
 *
 * @param chunkSize largest chunk, in characters (100–10000)
 * @param chunkOverlap characters a chunk repeats from the previous one (0–500, below chunkSize)
 * @param maxResults passages returned by default and at most (1–50)
 */
record Settings(int chunkSize, int chunkOverlap, int maxResults) {

  static final Settings DEFAULTS = new Settings(1000, 200, 5);

  Settings {
    requireRange("chunkSize", chunkSize, 100, 10_000);
    requireRange("chunkOverlap", chunkOverlap, 0, 500);
    requireRange("maxResults", maxResults, 1, 50);
    if (chunkOverlap >= chunkSize) {
      throw new RagException(
          RagException.Reason.CONFIG_INVALID,
          "chunkOverlap ["
              + chunkOverlap
              + "] must be less than chunkSize ["
              + chunkSize
              + "]: change the plugin's configuration");
    }
  }

  /** The current values of the plugin's configuration, defaults for absent keys. */
  static Settings from(PluginConfig config) {
    return new Settings(
        read(config, "chunkSize", DEFAULTS.chunkSize),
        read(config, "chunkOverlap", DEFAULTS.chunkOverlap),
        read(config, "maxResults", DEFAULTS.maxResults));
  }

  /** A chunker for these sizes. */
  Chunker chunker() {
    return new Chunker(chunkSize, chunkOverlap);
  }

  private static int read(PluginConfig config, String key, int fallback) {
    long value = config.getLong(key).orElse((long) fallback);
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  private static void requireRange(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new RagException(
          RagException.Reason.CONFIG_INVALID,
          key + " [" + value + "] must be between " + min + " and " + max);
    }
  }
}
