package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks a manifest's {@code compatibility} against a host: the host's version, its Java feature
 * version, the {@code @cas/*} API modules it provides, and the plugins installed on it. Every
 * failure says what was required and what was found.
 */
public final class CompatibilityChecker {

  /** The {@code @cas/*} modules a host of this version provides, all at the platform version. */
  public static final List<String> API_MODULES =
      List.of("@cas/plugin-api", "@cas/core-api", "@cas/types", "@cas/ui-components");

  private CompatibilityChecker() {}

  /**
   * What a host offers.
   *
   * @param casVersion the host version, e.g. {@code 1.2.0} or {@code 1.2.0-SNAPSHOT}
   * @param javaFeature the host's Java feature version, e.g. {@code 25}
   * @param apiModules {@code @cas/*} module names and their versions
   * @param installedPlugins ids and versions of the plugins installed and active on the host
   */
  public record Host(
      String casVersion,
      int javaFeature,
      Map<String, String> apiModules,
      Map<String, String> installedPlugins) {
    public Host {
      Objects.requireNonNull(casVersion, "casVersion");
      apiModules = Map.copyOf(apiModules);
      installedPlugins = Map.copyOf(installedPlugins);
    }

    /** This build's host with no plugins installed. */
    public static Host current() {
      return of(CasVersion.current(), CasVersion.javaFeature(), Map.of());
    }

    /** A host of a given version whose API modules share that version. */
    public static Host of(String casVersion, int javaFeature, Map<String, String> plugins) {
      Map<String, String> modules = new TreeMap<>();
      API_MODULES.forEach(m -> modules.put(m, casVersion));
      return new Host(casVersion, javaFeature, modules, plugins);
    }
  }

  /**
   * One unmet requirement.
   *
   * @param reason which kind
   * @param subject what was checked: {@code casVersion}, {@code javaVersion}, a module or plugin id
   * @param required the range the manifest asks for
   * @param found what the host has, or {@code (none)}
   */
  public record Incompatibility(Reason reason, String subject, String required, String found) {
    /** A sentence for people. */
    public String describe() {
      return subject + " requires [" + required + "] but found [" + found + "]";
    }
  }

  /** Every unmet requirement, in manifest order; empty when compatible. */
  public static List<Incompatibility> check(Manifest manifest, Host host) {
    List<Incompatibility> problems = new ArrayList<>();
    Manifest.Compatibility c = manifest.compatibility();
    c.casVersion()
        .filter(range -> !VersionRanges.satisfies(host.casVersion(), range))
        .ifPresent(
            range ->
                problems.add(
                    new Incompatibility(
                        Reason.INCOMPATIBLE_HOST, "casVersion", range, host.casVersion())));
    c.javaVersion()
        .filter(range -> !VersionRanges.satisfies(String.valueOf(host.javaFeature()), range))
        .ifPresent(
            range ->
                problems.add(
                    new Incompatibility(
                        Reason.INCOMPATIBLE_HOST,
                        "javaVersion",
                        range,
                        String.valueOf(host.javaFeature()))));
    new TreeMap<>(c.dependencies())
        .forEach(
            (name, range) -> {
              boolean api = name.startsWith("@cas/");
              String found = (api ? host.apiModules() : host.installedPlugins()).get(name);
              if (found == null || !VersionRanges.satisfies(found, range)) {
                problems.add(
                    new Incompatibility(
                        api ? Reason.INCOMPATIBLE_API : Reason.DEPENDENCY_UNSATISFIED,
                        name,
                        range,
                        found == null ? "(none)" : found));
              }
            });
    return List.copyOf(problems);
  }

  /** Refuses the manifest when anything is unmet, naming every unmet requirement. */
  public static void requireCompatible(Manifest manifest, Host host) {
    List<Incompatibility> problems = check(manifest, host);
    if (!problems.isEmpty()) {
      Incompatibility first = problems.getFirst();
      String all = String.join("; ", problems.stream().map(Incompatibility::describe).toList());
      throw new PackageException(
          first.reason(),
          first.subject(),
          "plugin [" + manifest.id() + "] is not compatible with this host: " + all);
    }
  }
}
