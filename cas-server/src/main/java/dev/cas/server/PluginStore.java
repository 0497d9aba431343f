package dev.cas.server;

import dev.cas.packaging.Manifest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The registry of installed plugins, their stored packages, owned tables and documentation. */
final class PluginStore {

  private final DataSource ds;

  PluginStore(DataSource ds) {
    this.ds = ds;
  }

  /** Registry rows of all installed plugins. */
  List<Map<String, Object>> all() {
    return Sql.query(
        ds,
        "SELECT id, version, desired_state, is_system, signer_key_id FROM cas.plugins ORDER BY id");
  }

  Optional<Map<String, Object>> row(String id) {
    return Sql.one(ds, "SELECT * FROM cas.plugins WHERE id = ?", id);
  }

  /** The stored package bytes of the installed version. */
  Optional<byte[]> packageBytes(String id) {
    return Sql.one(
            ds,
            "SELECT p.bytes FROM cas.plugin_packages p JOIN cas.plugins r ON r.id = p.plugin_id AND r.version = p.version"
                + " WHERE r.id = ?",
            id)
        .map(r -> (byte[]) r.get("bytes"));
  }

  /** The plugin that owns each of these tables, when another one does. */
  Optional<Map<String, Object>> tableOwner(String pluginId, List<String> tables) {
    if (tables.isEmpty()) {
      return Optional.empty();
    }
    return Sql.one(
        ds,
        "SELECT table_name, plugin_id FROM cas.plugin_tables WHERE table_name = ANY(?) AND plugin_id <> ? ORDER BY table_name",
        tables.toArray(String[]::new),
        pluginId);
  }

  /** Registers a plugin (or replaces its row on upgrade) with its package, tables and docs. */
  void save(
      Connection c,
      Manifest m,
      String manifestJson,
      String role,
      Optional<String> signer,
      byte[] packageBytes,
      String sha256,
      List<Doc> docs)
      throws SQLException {
    Sql.update(c, "DELETE FROM cas.plugin_docs WHERE plugin_id = ?", m.id());
    Sql.update(c, "DELETE FROM cas.plugin_tables WHERE plugin_id = ?", m.id());
    Sql.update(c, "DELETE FROM cas.plugin_packages WHERE plugin_id = ?", m.id());
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
    Sql.update(
        c,
        "INSERT INTO cas.plugin_packages(plugin_id, version, sha256, bytes) VALUES (?,?,?,?)",
        m.id(),
        m.version(),
        sha256,
        packageBytes);
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

  void setDesiredState(String id, String state) {
    Sql.update(
        ds, "UPDATE cas.plugins SET desired_state = ?, updated_at = now() WHERE id = ?", state, id);
  }

  void delete(Connection c, String id) throws SQLException {
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
  record Doc(
      String type,
      String title,
      String format,
      String language,
      String version,
      String file,
      String content) {}

  List<Map<String, Object>> docs(String pluginId) {
    return Sql.query(
        ds,
        "SELECT id, doc_type AS type, title, format, language, doc_version AS version, file_name AS file, revision,"
            + " updated_at FROM cas.plugin_docs WHERE plugin_id = ? ORDER BY id",
        pluginId);
  }

  Optional<Map<String, Object>> doc(String pluginId, long docId) {
    return Sql.one(
        ds,
        "SELECT id, doc_type AS type, title, format, language, doc_version AS version, file_name AS file, revision,"
            + " content, updated_at FROM cas.plugin_docs WHERE plugin_id = ? AND id = ?",
        pluginId,
        docId);
  }

  long addDoc(String pluginId, Doc d, String actor) {
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

  boolean updateDoc(String pluginId, long docId, Doc d, String actor) {
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

  boolean deleteDoc(String pluginId, long docId) {
    return Sql.update(
            ds, "DELETE FROM cas.plugin_docs WHERE plugin_id = ? AND id = ?", pluginId, docId)
        > 0;
  }

  /** Full docs with content, for export. */
  List<Map<String, Object>> docsWithContent(String pluginId) {
    return Sql.query(
        ds,
        "SELECT doc_type AS type, title, format, language, doc_version AS version, file_name AS file, content"
            + " FROM cas.plugin_docs WHERE plugin_id = ? ORDER BY id",
        pluginId);
  }
}
