package dev.cas.sandbox.checker;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What one plugin may do, from its manifest: {@code permissions}, {@code sandbox.networkPolicy} +
 * {@code allowedHosts} and {@code sandbox.filesystemAccess}. Process start, exit, halt, shutdown
 * hooks, native code, raw thread starts and system properties are never granted to a plugin.
 *
 * @param pluginId the plugin's id, for messages
 * @param network which outbound connections are allowed
 * @param allowedHosts {@code host:port} patterns, {@code *} for any host or port and {@code
 *     *.domain} for a domain's hosts; used when {@code network} is {@link Network#RESTRICTIVE}
 * @param folder the plugin's own folder, symlinks resolved, when {@code filesystemAccess} is {@code
 *     plugin-only}; empty for no file access at all
 */
public record PluginPolicy(
    String pluginId, Network network, List<String> allowedHosts, Optional<Path> folder) {

  /** Outbound connections: none, only the allowed hosts, or any host. */
  public enum Network {
    NONE,
    RESTRICTIVE,
    OPEN
  }

  public PluginPolicy {
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** Nothing sensitive allowed: for code of an unknown loader and for unloaded plugins. */
  public static PluginPolicy denyAll(String pluginId) {
    return new PluginPolicy(pluginId, Network.NONE, List.of(), Optional.empty());
  }

  /**
   * The policy a manifest asks for. Network needs the {@code network.outbound} permission and then
   * follows {@code networkPolicy} ({@code open}, {@code restrictive} — the default — or {@code
   * none}); files need {@code filesystemAccess: plugin-only} and then mean the plugin's folder.
   */
  public static PluginPolicy fromManifest(
      String pluginId,
      Set<String> permissions,
      Optional<String> networkPolicy,
      List<String> allowedHosts,
      Optional<String> filesystemAccess,
      Path folder) {
    Network network = Network.NONE;
    if (permissions.contains("network.outbound")) {
      network =
          switch (networkPolicy.orElse("restrictive")) {
            case "open" -> Network.OPEN;
            case "none" -> Network.NONE;
            default -> Network.RESTRICTIVE;
          };
    }
    Optional<Path> own = Optional.empty();
    if (filesystemAccess.orElse("none").equals("plugin-only")) {
      own = Optional.of(FilePaths.real(folder));
    }
    return new PluginPolicy(pluginId, network, allowedHosts, own);
  }

  /** Why a connection is refused, or empty when it is allowed. */
  Optional<String> refuseConnect(InetAddress address, int port) {
    return switch (network) {
      case NONE -> Optional.of("the plugin has no outbound network access");
      case OPEN -> Optional.empty();
      case RESTRICTIVE -> {
        String literal = address.getHostAddress();
        String shown = address.toString();
        String name = shown.substring(0, shown.indexOf('/'));
        for (String pattern : allowedHosts) {
          if (HostPattern.matches(pattern, name, literal, port)) {
            yield Optional.empty();
          }
        }
        yield Optional.of("host not in sandbox.allowedHosts " + allowedHosts);
      }
    };
  }

  /** Why access to a real (symlink-resolved) path is refused, or empty when it is allowed. */
  Optional<String> refuseFile(Path real, boolean write) {
    if (!write && real.startsWith(FilePaths.JAVA_HOME)) {
      return Optional.empty(); // the JDK reads its own files (time zones, locales) for everyone
    }
    if (folder.isEmpty()) {
      return Optional.of("the plugin has no file system access");
    }
    if (real.startsWith(folder.get())) {
      return Optional.empty();
    }
    return Optional.of("outside the plugin's folder [" + folder.get() + "]");
  }

  /** Host patterns, split out for the tests' sake. */
  static final class HostPattern {
    private HostPattern() {}

    static boolean matches(String pattern, String name, String literal, int port) {
      int colon = pattern.lastIndexOf(':');
      String host = colon < 0 ? pattern : pattern.substring(0, colon);
      String portPart = colon < 0 ? "*" : pattern.substring(colon + 1);
      if (!portPart.equals("*") && !portPart.equals(Integer.toString(port))) {
        return false;
      }
      List<String> candidates = new ArrayList<>(2);
      candidates.add(literal);
      if (!name.isEmpty()) {
        candidates.add(name.toLowerCase(Locale.ROOT));
      }
      String h = host.toLowerCase(Locale.ROOT);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      for (String c : candidates) {
        if (h.equals("*") || h.equals(c) || (h.startsWith("*.") && c.endsWith(h.substring(1)))) {
          return true;
        }
      }
      return false;
    }
  }
}
