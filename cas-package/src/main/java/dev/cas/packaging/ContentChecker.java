package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Checks that what the manifest and the docs index name is in the package: the entry jar, each
 * migration and its rollback, each frontend module, each documentation page. Shared by the reader
 * and the writer.
 */
final class ContentChecker {

  private ContentChecker() {}

  static void check(
      Path root, Manifest manifest, List<String> paths, boolean strict, List<String> warnings) {
    Set<String> present = Set.copyOf(paths);
    manifest.entry().ifPresent(entry -> require(present, entry, "the manifest's [entry]"));
    checkMigrations(manifest, present, strict, warnings);
    FrontendRules.checkModules(manifest, present, warnings);
    if (present.contains(PackageLayout.DOCS_INDEX)) {
      checkDocsIndex(root, present);
    }
    if (present.contains(PackageLayout.DATA_EXPORT)) {
      checkDataExport(root);
    }
  }

  private static void checkMigrations(
      Manifest manifest, Set<String> present, boolean strict, List<String> warnings) {
    List<String> listed = manifest.database().migrations();
    for (String migration : listed) {
      require(present, PackageLayout.MIGRATIONS_DIR + migration, "database.migrations");
      String rollback =
          PackageLayout.MIGRATIONS_DIR + migration.replaceFirst("\\.sql$", "_rollback.sql");
      if (!present.contains(rollback)) {
        String message = "migration [" + migration + "] has no rollback [" + rollback + "]";
        if (strict) {
          throw new PackageException(Reason.REFERENCED_FILE_MISSING, rollback, message);
        }
        warnings.add(message);
      }
    }
    Set<String> known =
        listed.stream().map(m -> m.replaceFirst("\\.sql$", "")).collect(Collectors.toSet());
    for (String path : present) {
      if (path.startsWith(PackageLayout.MIGRATIONS_DIR) && path.endsWith(".sql")) {
        String base =
            path.substring(PackageLayout.MIGRATIONS_DIR.length())
                .replaceFirst("(_rollback)?(\\.[a-z0-9]+)?\\.sql$", "");
        if (!known.contains(base)) {
          warnings.add("[" + path + "] is not listed in database.migrations and will not run");
        }
      }
    }
  }

  private static void checkDocsIndex(Path root, Set<String> present) {
    JsonNode index = readJson(root, PackageLayout.DOCS_INDEX);
    if (!index.isArray()) {
      throw new PackageException(
          Reason.CONTENT_INVALID, PackageLayout.DOCS_INDEX, "docs/index.json is not a JSON array");
    }
    int i = 0;
    for (JsonNode doc : index) {
      JsonNode file = doc.get("file");
      if (file == null || !file.isString() || !doc.hasNonNull("type") || !doc.hasNonNull("title")) {
        throw new PackageException(
            Reason.CONTENT_INVALID,
            PackageLayout.DOCS_INDEX,
            "docs/index.json item " + i + " needs string fields [type, title, file]");
      }
      String path =
          file.asString().startsWith("docs/") ? file.asString() : "docs/" + file.asString();
      require(present, path, "docs/index.json item " + i);
      i++;
    }
  }

  private static void checkDataExport(Path root) {
    JsonNode data = readJson(root, PackageLayout.DATA_EXPORT);
    if (!data.isObject()
        || (data.has("config") && !data.get("config").isObject())
        || (data.has("records") && !data.get("records").isObject())) {
      throw new PackageException(
          Reason.CONTENT_INVALID,
          PackageLayout.DATA_EXPORT,
          "data/export.json must be an object { \"config\": {…}, \"records\": {…} }");
    }
  }

  private static JsonNode readJson(Path root, String path) {
    try {
      return Json.MAPPER.readTree(Files.readAllBytes(root.resolve(path)));
    } catch (JacksonException e) {
      throw new PackageException(
          Reason.CONTENT_INVALID,
          path,
          path + " is not well-formed JSON: " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new PackageException(Reason.IO_ERROR, path, "cannot read [" + path + "]", e);
    }
  }

  private static void require(Set<String> present, String path, String namedBy) {
    if (!present.contains(path)) {
      throw new PackageException(
          Reason.REFERENCED_FILE_MISSING,
          path,
          "file [" + path + "] named by " + namedBy + " is not in the package");
    }
  }
}
