package dev.cas.server.install;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.SecurityFinding;
import dev.cas.packaging.SecurityScanner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.semver4j.Semver;

/**
 * What an import would do, as the dry run answers it ({@code POST
 * /api/plugins/import?dryRun=true}): the package's manifest, permissions and sandbox, its signer,
 * the static scan's findings, the migrations that would run, its dependencies, and for an upgrade
 * what changes from the installed version. A plain value: building it changes nothing.
 */
final class ImportPreview {

  /**
   * The checks a dry run ran; those that need the plugin's code or SQL to run are not among them.
   */
  static final List<String> CHECKS =
      List.of(
          "safe extraction",
          "checksums",
          "signature policy",
          "manifest",
          "security scan",
          "compatibility and dependencies",
          "version rules",
          "table ownership",
          "checksums of applied migrations",
          "transaction control in migrations",
          "configuration in data/export.json");

  /** Checks only an import runs: they run the plugin's SQL or code. */
  static final List<String> NOT_RUN =
      List.of(
          "migration SQL",
          "tables the migrations create",
          "database role privileges",
          "data/export.json rows",
          "initialize and activate",
          "health check");

  private ImportPreview() {}

  static Map<String, Object> of(
      PluginPackage pkg,
      Optional<String> installedVersion,
      Optional<Manifest> installed,
      SecurityScanner.Report scan,
      List<String> pending,
      Collection<String> applied,
      Map<String, String> activeVersions,
      String signaturePolicy) {
    Manifest m = pkg.manifest();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dryRun", true);
    out.put("outcome", outcome(m.version(), installedVersion));
    out.put("installedVersion", installedVersion.orElse(null));
    out.put("plugin", plugin(m));
    out.put("permissions", m.permissions());
    out.put("sandbox", sandbox(m.sandbox()));
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("signed", pkg.signed());
    signature.put("keyId", pkg.signerKeyId().orElse(null));
    // The reader refuses a signature by a key outside the trust store: signed here means trusted.
    signature.put("trusted", pkg.signerKeyId().isPresent());
    signature.put("policy", signaturePolicy);
    out.put("signature", signature);
    out.put("scan", scan(scan));
    Map<String, Object> database = new LinkedHashMap<>();
    database.put("schema", m.database().schema().orElse(null));
    database.put("tables", m.database().tables());
    database.put("pendingMigrations", pending);
    database.put(
        "appliedMigrations", m.database().migrations().stream().filter(applied::contains).toList());
    out.put("database", database);
    out.put("dependencies", dependencies(m, activeVersions));
    out.put("pages", pages(m));
    installed.ifPresent(old -> out.put("changes", changes(old, m)));
    out.put("warnings", pkg.warnings());
    out.put("checks", CHECKS);
    out.put("notChecked", NOT_RUN);
    return out;
  }

  private static String outcome(String version, Optional<String> installed) {
    if (installed.isEmpty()) {
      return "install";
    }
    int cmp = Semver.parse(version).compareTo(Semver.parse(installed.get()));
    return cmp == 0 ? "unchanged" : cmp > 0 ? "upgrade" : "downgrade";
  }

  /**
   * The pages the plugin adds to the admin page (its frontend.routes), each with the module that
   * will run in its sandboxed frame and who sees it in the navigation.
   */
  private static List<Map<String, Object>> pages(Manifest m) {
    List<Map<String, Object>> pages = new ArrayList<>();
    for (Manifest.Route r : m.frontend().routes()) {
      Map<String, Object> page = new LinkedHashMap<>();
      page.put("path", r.path());
      page.put("title", r.title());
      page.put("component", r.component());
      page.put(
          "module",
          m.frontend().components().stream()
              .filter(c -> c.tag().equals(r.component()))
              .map(c -> "frontend/dist/" + c.module())
              .findFirst()
              .orElse(null));
      page.put("roles", r.roles().isEmpty() ? List.of("any signed-in user") : r.roles());
      pages.add(page);
    }
    return pages;
  }

  private static Map<String, Object> plugin(Manifest m) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", m.id());
    p.put("name", m.name());
    p.put("version", m.version());
    p.put("description", m.description());
    p.put("author", m.author().orElse(null));
    p.put("license", m.license().orElse(null));
    p.put("isSystem", m.isSystem());
    p.put("status", m.status().id());
    return p;
  }

  private static Map<String, Object> sandbox(Optional<Manifest.Sandbox> declared) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (declared.isEmpty()) {
      out.put("declared", false);
      return out;
    }
    Manifest.Sandbox s = declared.get();
    out.put("networkPolicy", s.networkPolicy().orElse(null));
    out.put("allowedHosts", s.allowedHosts());
    out.put("filesystemAccess", s.filesystemAccess().orElse(null));
    out.put("cpuLimit", s.cpuLimit().orElse(null));
    out.put("memoryLimit", s.memoryLimit().orElse(null));
    return out;
  }

  private static Map<String, Object> scan(SecurityScanner.Report report) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (SecurityFinding.Risk r : SecurityFinding.Risk.values()) {
      counts.put(r.name(), 0);
    }
    List<Map<String, Object>> findings = new ArrayList<>();
    for (SecurityFinding f : report.findings()) {
      counts.merge(f.risk().name(), 1, Integer::sum);
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("risk", f.risk().name());
      one.put("category", f.category());
      one.put("location", f.location());
      one.put("detail", f.detail());
      // Findings in the plugin's own code count against the host's threshold; libraries' inform.
      one.put("ownCode", report.ownCode().contains(f));
      findings.add(one);
    }
    out.put("maxRisk", report.maxRisk(false).name());
    out.put("counts", counts);
    out.put("findings", findings);
    out.put("libraries", report.components().size());
    return out;
  }

  private static List<Map<String, Object>> dependencies(
      Manifest m, Map<String, String> activeVersions) {
    List<Map<String, Object>> out = new ArrayList<>();
    m.compatibility()
        .dependencies()
        .forEach(
            (id, range) -> {
              Map<String, Object> d = new LinkedHashMap<>();
              d.put("id", id);
              d.put("range", range);
              d.put("platform", id.startsWith("@cas/"));
              d.put("activeVersion", activeVersions.get(id));
              // The dry run refuses an unsatisfied dependency before it answers; a platform module
              // is the host's own.
              d.put("satisfied", id.startsWith("@cas/") || activeVersions.containsKey(id));
              out.add(d);
            });
    return out;
  }

  private static Map<String, Object> changes(Manifest old, Manifest next) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> version = new LinkedHashMap<>();
    version.put("from", old.version());
    version.put("to", next.version());
    out.put("version", version);
    out.put("permissions", diff(old.permissions(), next.permissions()));
    out.put("tables", diff(old.database().tables(), next.database().tables()));
    out.put("allowedHosts", diff(hosts(old), hosts(next)));
    out.put("filesystemAccess", diff(files(old), files(next)));
    out.put("migrations", diff(old.database().migrations(), next.database().migrations()));
    out.put(
        "configKeys",
        diff(List.copyOf(old.configSchema().keySet()), List.copyOf(next.configSchema().keySet())));
    return out;
  }

  private static List<String> hosts(Manifest m) {
    return m.sandbox().map(Manifest.Sandbox::allowedHosts).orElse(List.of());
  }

  private static List<String> files(Manifest m) {
    return m.sandbox().flatMap(Manifest.Sandbox::filesystemAccess).stream().toList();
  }

  private static Map<String, Object> diff(List<String> before, List<String> after) {
    TreeSet<String> added = new TreeSet<>(after);
    added.removeAll(before);
    TreeSet<String> removed = new TreeSet<>(before);
    removed.removeAll(after);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("added", List.copyOf(added));
    out.put("removed", List.copyOf(removed));
    return out;
  }
}
