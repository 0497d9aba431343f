package dev.cas.server.registry;

import dev.cas.packaging.Manifest;
import dev.cas.server.database.Sql;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plugin configuration values in {@code cas.plugin_config}. Values of keys the configSchema marks
 * {@code secret} are encrypted at rest and never leave through {@link #publicValues}.
 */
public final class ConfigStore {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final DataSource ds;
  private final SecretBox secrets;

  public ConfigStore(DataSource ds, SecretBox secrets) {
    this.ds = ds;
    this.secrets = secrets;
  }

  /** All values, secrets decrypted: for the plugin itself only. */
  public Map<String, Object> values(String pluginId) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map<String, Object> row :
        Sql.query(
            ds,
            "SELECT key, value, enc_value FROM cas.plugin_config WHERE plugin_id = ? ORDER BY key",
            pluginId)) {
      String key = (String) row.get("key");
      if (row.get("enc_value") != null) {
        out.put(key, secrets.decrypt((String) row.get("enc_value")));
      } else {
        out.put(key, JSON.readValue((String) row.get("value"), Object.class));
      }
    }
    return out;
  }

  /** Values without secrets: for the API, exports and logs. */
  public static Map<String, Object> publicValues(Manifest manifest, Map<String, Object> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          Manifest.ConfigField field = manifest.configSchema().get(k);
          if (field == null || !field.secret()) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Names of the secret keys that have a value. */
  public static List<String> secretKeysSet(Manifest manifest, Map<String, Object> values) {
    return values.keySet().stream()
        .filter(
            k -> manifest.configSchema().containsKey(k) && manifest.configSchema().get(k).secret())
        .sorted()
        .toList();
  }

  /** Replaces all values of a plugin in one transaction. */
  public void replace(Manifest manifest, Map<String, Object> values) {
    Sql.inTransaction(
        ds,
        c -> {
          Sql.update(c, "DELETE FROM cas.plugin_config WHERE plugin_id = ?", manifest.id());
          for (Map.Entry<String, Object> e : values.entrySet()) {
            Manifest.ConfigField field = manifest.configSchema().get(e.getKey());
            if (field != null && field.secret()) {
              Sql.update(
                  c,
                  "INSERT INTO cas.plugin_config(plugin_id, key, enc_value) VALUES (?,?,?)",
                  manifest.id(),
                  e.getKey(),
                  secrets.encrypt(String.valueOf(e.getValue())));
            } else {
              Sql.update(
                  c,
                  "INSERT INTO cas.plugin_config(plugin_id, key, value) VALUES (?,?,?::jsonb)",
                  manifest.id(),
                  e.getKey(),
                  JSON.writeValueAsString(e.getValue()));
            }
          }
          return null;
        });
  }

  /**
   * The stored rows of a plugin as they are (secrets still encrypted), so an interrupted operation
   * can put them back without ever holding a secret in clear: {@code [{key, value, enc}]}.
   */
  public tools.jackson.databind.node.ArrayNode snapshot(String pluginId) {
    tools.jackson.databind.node.ArrayNode rows = JSON.createArrayNode();
    for (Map<String, Object> row :
        Sql.query(
            ds,
            "SELECT key, value::text AS value, enc_value FROM cas.plugin_config WHERE plugin_id = ?"
                + " ORDER BY key",
            pluginId)) {
      tools.jackson.databind.node.ObjectNode r = rows.addObject();
      r.put("key", (String) row.get("key"));
      r.put("value", (String) row.get("value"));
      r.put("enc", (String) row.get("enc_value"));
    }
    return rows;
  }

  /** Puts back the rows a {@link #snapshot} took, replacing whatever the plugin has now. */
  public void restore(String pluginId, tools.jackson.databind.JsonNode rows) {
    Sql.inTransaction(
        ds,
        c -> {
          Sql.update(c, "DELETE FROM cas.plugin_config WHERE plugin_id = ?", pluginId);
          for (tools.jackson.databind.JsonNode r : rows) {
            Sql.update(
                c,
                "INSERT INTO cas.plugin_config(plugin_id, key, value, enc_value) VALUES (?,?,?::jsonb,?)",
                pluginId,
                r.get("key").asString(),
                r.get("value").isNull() ? null : r.get("value").asString(),
                r.get("enc").isNull() ? null : r.get("enc").asString());
          }
          return null;
        });
  }
}
