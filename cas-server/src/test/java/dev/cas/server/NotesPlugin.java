package dev.cas.server;

import dev.cas.runtime.TestPlugins;

/** A real plugin for the server tests: per-user notes in its own table, behind its own routes. */
final class NotesPlugin {

  private NotesPlugin() {}

  static final String SOURCE =
      """
      package test.notes;
      import dev.cas.plugin.api.*;
      import java.util.*;
      public class Main implements Plugin {
        private Database db;
        public void initialize(PluginContext c) {
          db = c.service(Database.class);
          c.routes().register("POST", "/notes", r -> {
            String user = r.user().orElseThrow().id();
            db.forUser(user).update("INSERT INTO notes(user_id, body) VALUES (?, ?)", user, r.bodyText());
            return HttpRoutes.Response.json(201, "{\\"created\\":true}");
          });
          c.routes().register("GET", "/notes", r -> {
            String user = r.user().orElseThrow().id();
            List<Map<String, Object>> rows = db.forUser(user).query("SELECT body FROM notes ORDER BY id");
            StringBuilder out = new StringBuilder("[");
            for (Map<String, Object> row : rows) {
              if (out.length() > 1) out.append(',');
              out.append('"').append(row.get("body")).append('"');
            }
            return HttpRoutes.Response.json(200, out.append(']').toString());
          });
          c.routes().register("GET", "/peek", r -> {
            try {
              db.query(r.queryParam("sql").orElseThrow());
              return HttpRoutes.Response.text(200, "allowed");
            } catch (RuntimeException e) {
              return HttpRoutes.Response.text(403, String.valueOf(e.getMessage()));
            }
          });
          c.routes().register("GET", "/greeting", r ->
              HttpRoutes.Response.text(200, c.config().getString("greeting").orElse("none")));
          // The secret's length only: the plugin can read its secret, the test never sees it echoed.
          c.routes().register("GET", "/key-length", r ->
              HttpRoutes.Response.text(200, String.valueOf(c.config().getString("apiKey").map(String::length).orElse(-1))));
        }
      }
      """;

  static TestPlugins.Spec spec(String version) {
    return spec(version, "DROP TABLE notes;");
  }

  /** The plugin with another rollback for its first migration. */
  static TestPlugins.Spec spec(String version, String notesRollback) {
    return TestPlugins.plugin("notes")
        .version(version)
        .main("test.notes.Main", SOURCE)
        .permissions("database.read", "database.write", "http.routes")
        .configSchema(
            "{\"greeting\": {\"type\": \"string\", \"default\": \"hi\"}, \"apiKey\": {\"type\": \"string\", \"secret\": true}}")
        .tables("notes")
        .migration(
            "001_notes.sql",
            "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, user_id TEXT NOT NULL, body TEXT NOT NULL);",
            notesRollback);
  }
}
