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
 * @param packageFolder the plugin's installed package, symlinks resolved: readable whatever {@code
 *     filesystemAccess} says, since the JDK reads the plugin's own jars on its behalf (resources,
 *     {@code ZipFile}'s cache key); empty for {@link #denyAll}
 * @param threads whether the plugin declared {@code threads.create}: it may start raw threads
 *     (platform, virtual, executors of its own); without it only the host's {@code PluginTasks}
 */
public record PluginPolicy(
    String pluginId,
    Network network,
    List<String> allowedHosts,
    Optional<Path> folder,
    Optional<Path> packageFolder,
    boolean threads) {

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
    return new PluginPolicy(
        pluginId, Network.NONE, List.of(), Optional.empty(), Optional.empty(), false);
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
    Path real = FilePaths.real(folder);
    Optional<Path> own = Optional.empty();
    if (filesystemAccess.orElse("none").equals("plugin-only")) {
      own = Optional.of(real);
    }
    return new PluginPolicy(
        pluginId,
        network,
        allowedHosts,
        own,
        Optional.of(real),
        permissions.contains("threads.create"));
  }

  /**
   * Why resolving a host name is refused, or empty when it is allowed: the same permission as a
   * connection, and in {@code restrictive} mode a pattern of {@code allowedHosts} whose host part
   * matches the name (any port). A lookup carries the name to the DNS servers, so a denied name is
   * refused before it leaves the JVM.
   */
  Optional<String> refuseResolve(String host) {
    return switch (network) {
      case NONE -> Optional.of("the plugin has no outbound network access");
      case OPEN -> Optional.empty();
      case RESTRICTIVE -> {
        for (String pattern : allowedHosts) {
          if (HostPattern.matchesHost(pattern, host)) {
            yield Optional.empty();
          }
        }
        yield Optional.of("host not in sandbox.allowedHosts " + allowedHosts);
      }
    };
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
    if (!write && packageFolder.isPresent() && real.startsWith(packageFolder.get())) {
      return Optional.empty(); // its own package: resources of its jars, its manifest
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
      String h = hostPart(host);
      for (String c : candidates) {
        if (hostMatches(h, c)) {
          return true;
        }
      }
      return false;
    }

    /** Whether the host part of {@code pattern} matches the name {@code host}, whatever port. */
    static boolean matchesHost(String pattern, String host) {
      int colon = pattern.lastIndexOf(':');
      String h = hostPart(colon < 0 ? pattern : pattern.substring(0, colon));
      return hostMatches(h, host.toLowerCase(Locale.ROOT));
    }

    private static String hostPart(String host) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      return h;
    }

    private static boolean hostMatches(String h, String candidate) {
      return h.equals("*")
          || h.equals(candidate)
          || (h.startsWith("*.") && candidate.endsWith(h.substring(1)));
    }
  }
}
