package dev.cas.server.install;

import dev.cas.packaging.CasVersion;
import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.PackageWriter;
import dev.cas.packaging.PluginPackage;
import dev.cas.packaging.ReadOptions;
import dev.cas.server.HostException;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.registry.ConfigStore;
import dev.cas.server.registry.PluginRecord;
import dev.cas.server.registry.PluginStore;
import dev.cas.server.security.RequestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes a package of an installed plugin: the stored package's code, migrations and sources, the
 * documentation as the host now holds it, the non-secret configuration, and (on request) the rows
 * of its tables, optionally only some users'. Secrets never leave: neither values nor ciphertext.
 * The writer is deterministic, so an unchanged plugin exports to the same bytes but for
 * metadata.json's time (and to the very same bytes with {@code reproducible}).
 */
public final class PluginExporter {

  // Maps keep their order: tables as database.tables lists them (the order rows are imported in),
  // columns as the table defines them, config keys sorted by the store.
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final PluginStore store;
  private final ConfigStore configStore;
  private final PluginDatabases databases;
  private final HostFolders folders;
  private final String instanceId;

  /**
   * @param instanceId this host's id, written as the package's source system
   */
  public PluginExporter(
      PluginStore store,
      ConfigStore configStore,
      PluginDatabases databases,
      HostFolders folders,
      String instanceId) {
    this.store = store;
    this.configStore = configStore;
    this.databases = databases;
    this.folders = folders;
    this.instanceId = instanceId;
  }

  /**
   * A package in a temporary file, and the file name to offer: {@code
   * <id>-v<version>-<epochMillis>.zip}.
   */
  public record Export(Path file, String fileName) {}

  public Export export(String id, boolean includeData, List<String> userIds, boolean reproducible)
      throws IOException {
    PluginRecord rec =
        store
            .find(id)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND, "plugin [" + id + "] is not installed"));
    byte[] stored = store.packageBytes(id).orElseThrow();
    Path work = folders.tempDir();
    try {
      Path zip = work.resolve("stored.zip");
      Files.write(zip, stored);
      PluginPackage pkg =
          PackageReader.create(ReadOptions.defaults()).read(zip, work.resolve("folder"));
      Manifest m = pkg.manifest();
      Path folder = pkg.root();
      for (String generated :
          List.of("signature.sig", "checksum.sha256", "metadata.json", "README.md")) {
        Files.deleteIfExists(folder.resolve(generated));
      }
      writeDocs(folder, id);
      writeData(folder, m, includeData, userIds);
      // The bill of materials of the bundled libraries travels with the export (a package without
      // code, docs only, has no backend/ and no libraries to list).
      if (Files.isDirectory(folder.resolve("backend"))) {
        Files.writeString(
            folder.resolve("backend/sbom.cdx.json"),
            dev.cas.packaging.SecurityScanner.cycloneDx(
                pkg, dev.cas.packaging.SecurityScanner.scan(pkg)));
      }
      Instant createdAt =
          reproducible
              ? rec.updatedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              : Instant.now();
      Path out = work.resolve("export.zip");
      PackageWriter.builder()
          .createdAt(createdAt)
          .createdBy(RequestContext.actor())
          .tool("cas-server " + CasVersion.current())
          .sourceSystem(CasVersion.sourceSystem(instanceId))
          .includeData(true)
          .build()
          .write(folder, out);
      Path result = Files.createTempFile(folders.tempDir(), "export-", ".zip");
      Files.move(out, result, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return new Export(
          result, m.id() + "-v" + m.version() + "-" + createdAt.toEpochMilli() + ".zip");
    } finally {
      HostFolders.deleteTree(work);
    }
  }

  private void writeDocs(Path folder, String id) throws IOException {
    Path docs = folder.resolve("docs");
    HostFolders.deleteTree(docs);
    List<Map<String, Object>> rows = store.docsWithContent(id);
    if (rows.isEmpty()) {
      return;
    }
    Files.createDirectories(docs);
    List<Map<String, Object>> index = new ArrayList<>();
    for (Map<String, Object> d : rows) {
      String file = (String) d.get("file");
      Files.writeString(docs.resolve(file), (String) d.get("content"), StandardCharsets.UTF_8);
      Map<String, Object> entry = new LinkedHashMap<>();
      for (String k : List.of("type", "title", "format", "language", "version", "file")) {
        entry.put(k, d.get(k));
      }
      index.add(entry);
    }
    Files.writeString(docs.resolve("index.json"), JSON.writeValueAsString(index) + "\n");
  }

  private void writeData(Path folder, Manifest m, boolean includeData, List<String> userIds)
      throws IOException {
    Path data = folder.resolve("data");
    HostFolders.deleteTree(data);
    Files.createDirectories(data);
    Map<String, Object> export = new LinkedHashMap<>();
    export.put("config", ConfigStore.publicValues(m, configStore.values(m.id())));
    // Table rows only on request: metadata.json's includesData says whether they are here.
    if (includeData) {
      Map<String, Object> records = new LinkedHashMap<>();
      for (String table : m.database().tables()) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> r : databases.rows(m, table, userIds)) {
          Map<String, Object> clean = new LinkedHashMap<>();
          r.forEach((k, v) -> clean.put(k, jsonValue(v)));
          rows.add(clean);
        }
        records.put(table, rows);
      }
      export.put("records", records);
    }
    Files.writeString(data.resolve("export.json"), JSON.writeValueAsString(export) + "\n");
  }

  /** JDBC values as JSON that {@code json_populate_record} reads back. */
  private static Object jsonValue(Object v) {
    if (v instanceof java.sql.Timestamp ts) {
      return ts.toInstant().toString();
    }
    if (v instanceof java.time.temporal.TemporalAccessor t) {
      return t.toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof byte[] b) {
      return "\\x" + java.util.HexFormat.of().formatHex(b);
    }
    if (v instanceof java.util.UUID u) {
      return u.toString();
    }
    return v;
  }
}
