package dev.cas.server.registry;

import dev.cas.packaging.Manifest;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.database.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The registry of installed plugins, their stored packages, owned tables and documentation. */
public final class PluginStore {

  private final DataSource ds;

  public PluginStore(DataSource ds) {
    this.ds = ds;
  }

  private static final String RECORD_COLUMNS =
      "id, version, name, manifest::text AS manifest, desired_state, is_system, db_schema, db_role,"
          + " signer_key_id, installed_at, updated_at";

  /** Every installed plugin, by id. */
  public List<PluginRecord> all() {
    return Sql.query(ds, "SELECT " + RECORD_COLUMNS + " FROM cas.plugins ORDER BY id").stream()
        .map(PluginStore::record)
        .toList();
  }

  /** The installed plugin with this id. */
  public Optional<PluginRecord> find(String id) {
    return Sql.one(ds, "SELECT " + RECORD_COLUMNS + " FROM cas.plugins WHERE id = ?", id)
        .map(PluginStore::record);
  }

  /** Whether a plugin of this id is installed. */
  public boolean isInstalled(String id) {
    return Sql.one(ds, "SELECT 1 FROM cas.plugins WHERE id = ?", id).isPresent();
  }

  /**
   * Where a plugin's verified package lies, relative to the plugins folder, and the SHA-256 of its
   * {@code checksum.sha256} there; empty when it has to be extracted from the stored package.
   *
   * @param folder the folder, {@code <id>/<version>-<tag>}
   * @param checksumsSha256 the pin of its checksum list
   */
  public record InstalledFolder(String folder, String checksumsSha256) {}

  /**
   * Where every installed plugin's verified package lies, by plugin id, in one query (a start with
   * a hundred plugins would otherwise ask a hundred times); plugins the registry knows no folder
   * for are absent.
   */
  public Map<String, InstalledFolder> installedFolders() {
    Map<String, InstalledFolder> out = new java.util.HashMap<>();
    for (Map<String, Object> r :
        Sql.query(
            ds,
            "SELECT id, install_folder, checksums_sha256 FROM cas.plugins"
                + " WHERE install_folder IS NOT NULL AND checksums_sha256 IS NOT NULL")) {
      out.put(
          (String) r.get("id"),
          new InstalledFolder(
              (String) r.get("install_folder"), (String) r.get("checksums_sha256")));
    }
    return out;
  }

  /** Records where the plugin's verified package lies, in the registry write's transaction. */
  public void recordFolder(Connection c, String id, InstalledFolder folder) throws SQLException {
    Sql.update(
        c,
        "UPDATE cas.plugins SET install_folder = ?, checksums_sha256 = ? WHERE id = ?",
        folder.folder(),
        folder.checksumsSha256(),
        id);
  }

  /** Records where the plugin's verified package lies. */
  public void recordFolder(String id, InstalledFolder folder) {
    Sql.update(
        ds,
        "UPDATE cas.plugins SET install_folder = ?, checksums_sha256 = ? WHERE id = ?",
        folder.folder(),
        folder.checksumsSha256(),
        id);
  }

  /** The one place that reads the registry's column names. */
  private static PluginRecord record(Map<String, Object> row) {
    return new PluginRecord(
        (String) row.get("id"),
        (String) row.get("version"),
        (String) row.get("name"),
        (String) row.get("manifest"),
        dev.cas.packaging.Manifest.DesiredStatus.parse((String) row.get("desired_state")),
        Boolean.TRUE.equals(row.get("is_system")),
        (String) row.get("db_schema"),
        (String) row.get("db_role"),
        Optional.ofNullable((String) row.get("signer_key_id")),
        instant(row.get("installed_at")),
        instant(row.get("updated_at")));
  }

  /** A timestamptz as the JDBC driver hands it out: {@code Timestamp} or OffsetDateTime. */
  private static java.time.Instant instant(Object at) {
    return at instanceof java.time.OffsetDateTime o
        ? o.toInstant()
        : ((java.sql.Timestamp) at).toInstant();
  }

  /** The stored package bytes of the installed version. */
  public Optional<byte[]> packageBytes(String id) {
    return Sql.one(
            ds,
            "SELECT p.bytes FROM cas.plugin_packages p JOIN cas.plugins r ON r.id = p.plugin_id AND r.version = p.version"
                + " WHERE r.id = ?",
            id)
        .map(r -> (byte[]) r.get("bytes"));
  }

  /**
   * Writes the stored package of the installed version to {@code target}, streamed from the row
   * rather than held in memory whole.
   *
   * @return whether the plugin has a stored package
   */
  public boolean copyPackageTo(String id, Path target) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT p.bytes FROM cas.plugin_packages p JOIN cas.plugins r ON r.id = p.plugin_id"
                    + " AND r.version = p.version WHERE r.id = ?")) {
      ps.setString(1, id);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        try (InputStream in = rs.getBinaryStream(1)) {
          Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
      }
    } catch (SQLException e) {
      throw new Sql.DatabaseException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write package to [" + target + "]", e);
    }
  }

  /**
   * Which other plugin owns one of these tables, as {@code (table, owner)}, when another one does.
   */
  public Optional<TableOwner> tableOwner(String pluginId, List<String> tables) {
    if (tables.isEmpty()) {
      return Optional.empty();
    }
    return Sql.one(
            ds,
            "SELECT table_name, plugin_id FROM cas.plugin_tables WHERE table_name = ANY(?) AND plugin_id <> ? ORDER BY table_name",
            tables.toArray(String[]::new),
            pluginId)
        .map(r -> new TableOwner((String) r.get("table_name"), (String) r.get("plugin_id")));
  }

  /** A declared table and the plugin it belongs to. */
  public record TableOwner(String table, String pluginId) {}

  /**
   * Stores a plugin's package, replacing the one stored before, streamed from its file into the row
   * rather than held in memory whole. The caller's transaction also writes the registry row ({@link
   * #save}); the foreign key to it may be deferred to that transaction's commit.
   *
   * @param packageFile the package as imported, byte for byte
   * @param sha256 the SHA-256 of its bytes
   */
  public void storePackage(Connection c, String id, String version, Path packageFile, String sha256)
      throws SQLException {
    Sql.update(c, "DELETE FROM cas.plugin_packages WHERE plugin_id = ?", id);
    // Threat: the package file changed after its digest was taken (and its contents verified); the
    // bytes are digested again as they are sent, and a difference rolls the registry write back.
    java.security.MessageDigest digest = sha256Digest();
    try (InputStream in =
            new java.security.DigestInputStream(Files.newInputStream(packageFile), digest);
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO cas.plugin_packages(plugin_id, version, sha256, bytes)"
                    + " VALUES (?,?,?,?)")) {
      ps.setString(1, id);
      ps.setString(2, version);
      ps.setString(3, sha256);
      ps.setBinaryStream(4, in, Files.size(packageFile));
      ps.executeUpdate();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read package [" + packageFile + "]", e);
    }
    String sent = java.util.HexFormat.of().formatHex(digest.digest());
    if (!sent.equals(sha256)) {
      throw new IllegalStateException(
          "package ["
              + packageFile.getFileName()
              + "] changed while it was stored: expected ["
              + sha256
              + "] but was ["
              + sent
              + "]");
    }
  }

  /**
   * Registers a plugin (or replaces its row on upgrade) with its tables and docs; its package is
   * written by {@link #storePackage} in the same transaction.
   */
  public void save(
      Connection c,
      Manifest m,
      String manifestJson,
      String role,
      Optional<String> signer,
      List<Doc> docs)
      throws SQLException {
    Sql.update(c, "DELETE FROM cas.plugin_docs WHERE plugin_id = ?", m.id());
    Sql.update(c, "DELETE FROM cas.plugin_tables WHERE plugin_id = ?", m.id());
    Sql.update(
        c,
        "INSERT INTO cas.plugins(id, version, name, manifest, desired_state, is_system, db_schema, db_role, signer_key_id)"
            + " VALUES (?,?,?,?::jsonb,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version,"
            + " name = EXCLUDED.name, manifest = EXCLUDED.manifest, desired_state = EXCLUDED.desired_state,"
            + " is_system = EXCLUDED.is_system, db_schema = EXCLUDED.db_schema, db_role = EXCLUDED.db_role,"
            + " signer_key_id = EXCLUDED.signer_key_id, updated_at = now()",
        m.id(),
        m.version(),
        m.name(),
        manifestJson,
        m.status().id(),
        m.isSystem(),
        PluginDatabases.schemaOf(m),
        role,
        signer.orElse(null));
    for (String table : m.database().tables()) {
      Sql.update(
          c, "INSERT INTO cas.plugin_tables(table_name, plugin_id) VALUES (?,?)", table, m.id());
    }
    for (Doc d : docs) {
      Sql.update(
          c,
          "INSERT INTO cas.plugin_docs(plugin_id, doc_type, title, format, language, doc_version, file_name, content)"
              + " VALUES (?,?,?,?,?,?,?,?)",
          m.id(),
          d.type(),
          d.title(),
          d.format(),
          d.language(),
          d.version(),
          d.file(),
          d.content());
    }
  }

  private static java.security.MessageDigest sha256Digest() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public void setDesiredState(String id, dev.cas.packaging.Manifest.DesiredStatus state) {
    Sql.update(
        ds,
        "UPDATE cas.plugins SET desired_state = ?, updated_at = now() WHERE id = ?",
        state.id(),
        id);
  }

  public void delete(Connection c, String id) throws SQLException {
    Sql.update(c, "DELETE FROM cas.plugins WHERE id = ?", id);
    Sql.update(c, "DELETE FROM cas.plugin_kv WHERE plugin_id = ?", id);
    Sql.update(c, "DELETE FROM cas.plugin_config WHERE plugin_id = ?", id);
  }

  /**
   * A documentation page.
   *
   * @param type readme, api, user_guide, installation, troubleshooting, changelog or examples
   * @param format markdown, html or plain
   */
  public record Doc(
      String type,
      String title,
      String format,
      String language,
      String version,
      String file,
      String content) {}

  public List<Map<String, Object>> docs(String pluginId) {
    return Sql.query(
        ds,
        "SELECT id, doc_type AS type, title, format, language, doc_version AS version, file_name AS file, revision,"
            + " updated_at FROM cas.plugin_docs WHERE plugin_id = ? ORDER BY id",
        pluginId);
  }

  public Optional<Map<String, Object>> doc(String pluginId, long docId) {
    return Sql.one(
        ds,
        "SELECT id, doc_type AS type, title, format, language, doc_version AS version, file_name AS file, revision,"
            + " content, updated_at FROM cas.plugin_docs WHERE plugin_id = ? AND id = ?",
        pluginId,
        docId);
  }

  public long addDoc(String pluginId, Doc d, String actor) {
    return Sql.inTransaction(
        ds,
        c -> {
          long id =
              ((Number)
                      Sql.query(
                              c,
                              "INSERT INTO cas.plugin_docs(plugin_id, doc_type, title, format, language, doc_version, file_name, content)"
                                  + " VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                              pluginId,
                              d.type(),
                              d.title(),
                              d.format(),
                              d.language(),
                              d.version(),
                              d.file(),
                              d.content())
                          .getFirst()
                          .get("id"))
                  .longValue();
          Sql.update(
              c,
              "INSERT INTO cas.plugin_doc_revisions(doc_id, revision, content, changed_by) VALUES (?,1,?,?)",
              id,
              d.content(),
              actor);
          return id;
        });
  }

  public boolean updateDoc(String pluginId, long docId, Doc d, String actor) {
    return Sql.inTransaction(
        ds,
        c -> {
          List<Map<String, Object>> rows =
              Sql.query(
                  c,
                  "UPDATE cas.plugin_docs SET doc_type = ?, title = ?, format = ?, language = ?, doc_version = ?, content = ?,"
                      + " revision = revision + 1, updated_at = now() WHERE plugin_id = ? AND id = ? RETURNING revision",
                  d.type(),
                  d.title(),
                  d.format(),
                  d.language(),
                  d.version(),
                  d.content(),
                  pluginId,
                  docId);
          if (rows.isEmpty()) {
            return false;
          }
          Sql.update(
              c,
              "INSERT INTO cas.plugin_doc_revisions(doc_id, revision, content, changed_by) VALUES (?,?,?,?)",
              docId,
              rows.getFirst().get("revision"),
              d.content(),
              actor);
          return true;
        });
  }

  public boolean deleteDoc(String pluginId, long docId) {
    return Sql.update(
            ds, "DELETE FROM cas.plugin_docs WHERE plugin_id = ? AND id = ?", pluginId, docId)
        > 0;
  }

  /** Full docs with content, for export. */
  public List<Map<String, Object>> docsWithContent(String pluginId) {
    return Sql.query(
        ds,
        "SELECT doc_type AS type, title, format, language, doc_version AS version, file_name AS file, content"
            + " FROM cas.plugin_docs WHERE plugin_id = ? ORDER BY id",
        pluginId);
  }
}
