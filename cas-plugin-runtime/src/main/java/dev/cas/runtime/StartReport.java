package dev.cas.runtime;

import java.util.List;
import java.util.Map;

/**
 * What starting several plugins together did: the plugins now installed, and why each plugin that
 * failed did. A plugin whose {@code activate} failed is in both: installed as {@link
 * dev.cas.plugin.api.PluginState#FAILED FAILED} with the reason, as {@link PluginRuntime#install}
 * leaves it; the others that failed are not installed.
 *
 * @param installed the plugins installed, in start order
 * @param failures why each plugin failed, by id, in start order
 */
public record StartReport(List<PluginInfo> installed, Map<String, RuntimeException> failures) {

  public StartReport {
    installed = List.copyOf(installed);
    failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
  }
}
