package dev.cas.cli;

import java.util.regex.Pattern;

/** Plugin ids as the commands take them. */
final class PluginIds {

  // The manifest schema's id pattern.
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");

  private PluginIds() {}

  /**
   * The id, checked before it goes into a URL path. Threat: an "id" such as {@code ../users} or
   * {@code x?purgeData=true} would address another route of the host.
   */
  static String checked(String id) {
    if (!ID.matcher(id).matches()) {
      throw new UsageException(
          "plugin id ["
              + id
              + "] is not a plugin id (lowercase letters and digits, single dots or hyphens between)");
    }
    return id;
  }
}
