package dev.cas.cli;

import dev.cas.runtime.TestPlugins;

/** A real plugin for the host commands' tests: notes in its own table, a secret in its config. */
final class NotesPackages {

  private NotesPackages() {}

  static final String SOURCE =
      """
      package test.notes;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/say", r -> {
            c.logger().log(System.Logger.Level.valueOf(r.queryParam("level").orElse("INFO")),
                r.queryParam("msg").orElse("-"));
            return HttpRoutes.Response.text(200, "said");
          });
          c.routes().register("GET", "/greeting", r ->
              HttpRoutes.Response.text(200, c.config().getString("greeting").orElse("none")));
          c.routes().register("GET", "/key-length", r ->
              HttpRoutes.Response.text(200, String.valueOf(c.config().getString("apiKey").map(String::length).orElse(-1))));
        }
      }
      """;

  static TestPlugins.Spec v1() {
    return TestPlugins.plugin("notes")
        .version("1.0.0")
        .main("test.notes.Main", SOURCE)
        .permissions("database.read", "database.write", "http.routes")
        .configSchema(
            "{\"greeting\": {\"type\": \"string\", \"default\": \"hi\"},"
                + " \"pageSize\": {\"type\": \"integer\", \"default\": 20},"
                + " \"apiKey\": {\"type\": \"string\", \"secret\": true}}")
        .tables("notes")
        .migration(
            "001_notes.sql",
            "CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, user_id TEXT NOT NULL, body TEXT NOT NULL);",
            "DROP TABLE notes;");
  }

  /** Version 1.1.0: one more permission, one more table and its migration. */
  static TestPlugins.Spec v2() {
    return v1().version("1.1.0")
        .permissions("users.read")
        .tables("tags")
        .migration(
            "002_tags.sql", "CREATE TABLE tags (note_id BIGINT, tag TEXT);", "DROP TABLE tags;");
  }
}
