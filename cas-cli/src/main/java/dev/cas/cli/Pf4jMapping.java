package dev.cas.cli;

import dev.cas.packaging.VersionRanges;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * PF4J descriptor values in CAS terms: ids, versions, and PF4J's version expressions as npm-style
 * ranges. Each method says in a note what it could not carry over.
 */
final class Pf4jMapping {

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");
  private static final Pattern SEMVER =
      Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
  private static final Pattern PARTIAL = Pattern.compile("\\d+(\\.\\d+)?");
  private static final Pattern SPDX =
      Pattern.compile(
          "\\(*[A-Za-z0-9][A-Za-z0-9.+-]*\\)*( +(AND|OR|WITH) +\\(*[A-Za-z0-9][A-Za-z0-9.+-]*\\)*)*");

  private Pf4jMapping() {}

  /** A dependency as PF4J declares it: {@code id}, {@code id@range}, {@code id?@range}. */
  record Dependency(String pf4jId, boolean optional, String pf4jRange) {}

  /**
   * A PF4J id as a CAS id: lowercase, a hyphen between a lower and an upper case letter ({@code
   * HelloPlugin} → {@code hello-plugin}), a hyphen for every run of other characters, none at the
   * ends.
   */
  static Optional<String> normalisedId(String pf4jId) {
    String spaced = pf4jId.trim().replaceAll("([a-z0-9])([A-Z])", "$1-$2");
    String id =
        spaced
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9.]+", "-")
            .replaceAll("-*\\.-*", ".")
            .replaceAll("\\.{2,}", ".")
            .replaceAll("^[^a-z]+", "")
            .replaceAll("[.-]+$", "");
    boolean valid = ID.matcher(id).matches() && id.length() >= 3 && id.length() <= 64;
    return valid ? Optional.of(id) : Optional.empty();
  }

  static boolean isId(String id) {
    return ID.matcher(id).matches() && id.length() >= 3 && id.length() <= 64;
  }

  /** A PF4J version as a semantic version: {@code 1.2} becomes {@code 1.2.0}. */
  static Optional<String> version(String pf4jVersion) {
    String v = pf4jVersion.trim();
    if (SEMVER.matcher(v).matches()) {
      return Optional.of(v);
    }
    if (PARTIAL.matcher(v).matches()) {
      return Optional.of(v.chars().filter(c -> c == '.').count() == 0 ? v + ".0.0" : v + ".0");
    }
    return Optional.empty();
  }

  /**
   * A PF4J version expression (java-semver: {@code >=1.0.0 & <2.0.0}, {@code 1.x}, {@code ~1.2},
   * {@code *}) as an npm-style range, when it is one.
   */
  static Optional<String> range(String expression) {
    String range =
        expression
            .trim()
            .replace("&&", " ")
            .replace("&", " ")
            .replaceAll("(?<!\\|)\\|(?!\\|)", "||")
            .replaceAll("\\s+", " ");
    return VersionRanges.isRange(range) ? Optional.of(range) : Optional.empty();
  }

  static boolean isSpdx(String license) {
    return SPDX.matcher(license).matches();
  }

  /** PF4J's {@code plugin.dependencies}: a comma-separated list of {@code id[?][@range]}. */
  static List<Dependency> dependencies(String list) {
    return java.util.Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(
            s -> {
              int at = s.indexOf('@');
              String id = at < 0 ? s : s.substring(0, at).trim();
              String range = at < 0 ? "*" : s.substring(at + 1).trim();
              boolean optional = id.endsWith("?");
              return new Dependency(
                  optional ? id.substring(0, id.length() - 1) : id, optional, range);
            })
        .toList();
  }

  /**
   * The dependencies as {@code compatibility.dependencies}, with {@code @cas/plugin-api} first;
   * what is left out or changed goes to {@code note}.
   */
  static Map<String, String> compatibilityDependencies(
      List<Dependency> dependencies, Consumer<String> note) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("@cas/plugin-api", "^1.0.0");
    for (Dependency d : dependencies) {
      Optional<String> id = normalisedId(d.pf4jId());
      if (id.isEmpty()) {
        note.accept(
            "dependency [" + d.pf4jId() + "]: its id cannot be made a CAS plugin id; left out");
        continue;
      }
      if (d.optional()) {
        note.accept(
            "optional dependency ["
                + d.pf4jId()
                + "]: CAS has no optional dependencies; left out (the plugin starts without it)");
        continue;
      }
      Optional<String> range = range(d.pf4jRange());
      if (range.isEmpty()) {
        note.accept(
            "dependency ["
                + d.pf4jId()
                + "]: version expression ["
                + d.pf4jRange()
                + "] is not a range CAS reads; carried over as [*]");
      }
      map.put(id.get(), range.orElse("*"));
      note.accept(
          "dependency ["
              + d.pf4jId()
              + "] → ["
              + id.get()
              + "]: PF4J gave this plugin every class of it; a CAS plugin sees only the packages"
              + " it exports (jar manifest CAS-Export-Package), and it must be migrated too");
    }
    return map;
  }
}
