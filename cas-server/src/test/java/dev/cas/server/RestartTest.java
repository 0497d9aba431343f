package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A host stopped and started again on the same database and data folder restores every plugin in
 * the state it was left in, with its data, configuration, secrets and routes; tokens stay valid.
 */
class RestartTest {

  @TempDir Path tmp;

  @Test
  void pluginsComeBackInTheirDesiredStateWithTheirRoutes() {
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    Path data = tmp.resolve("host");
    String dbUrl = TestDatabases.freshEmbedded();
    String ada;
    try (TestHost first = TestHost.start(data, dbUrl, false, Map.of())) {
      assertThat(first.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
          .isEqualTo(201);
      // The registry lists aaa-uses before zzz-base; restore must still start zzz-base first.
      assertThat(first.importZip(plugins.buildZip(TestPlugins.simple("zzz-base")), "").status())
          .isEqualTo(201);
      assertThat(
              first
                  .importZip(
                      plugins.buildZip(
                          TestPlugins.simple("aaa-uses").dependsOn("zzz-base", "^1.0.0")),
                      "")
                  .status())
          .isEqualTo(201);
      assertThat(first.importZip(plugins.buildZip(TestPlugins.simple("sleepy")), "").status())
          .isEqualTo(201);
      assertThat(first.post("/api/plugins/sleepy/deactivate", first.adminToken, null).status())
          .isEqualTo(200);
      assertThat(
              first
                  .put(
                      "/api/plugins/notes/config",
                      first.adminToken,
                      "{\"greeting\": \"hello\", \"apiKey\": \"s3cret-key\"}")
                  .status())
          .isEqualTo(200);
      ada = first.userToken("ada", "user");
      assertThat(first.post("/api/plugins/notes/notes", ada, "before restart").status())
          .isEqualTo(201);
    }

    try (TestHost second = TestHost.start(data, dbUrl, false, Map.of())) {
      assertThat(states(second))
          .isEqualTo(
              Map.of(
                  "notes",
                  "active",
                  "zzz-base",
                  "active",
                  "aaa-uses",
                  "active",
                  "sleepy",
                  "initialized"));
      assertThat(second.get("/api/plugins/notes/notes", ada).text())
          .isEqualTo("[\"before restart\"]");
      assertThat(second.post("/api/plugins/notes/notes", ada, "after restart").status())
          .isEqualTo(201);
      assertThat(second.get("/api/plugins/notes/greeting", ada).text()).isEqualTo("hello");
      assertThat(second.get("/api/plugins/notes/key-length", ada).text()).isEqualTo("10");
      assertThat(second.get("/api/plugins/notes/status").data().get("healthy").asBoolean())
          .isTrue();

      TestHost.Response asleep = second.get("/api/plugins/sleepy/anything", ada);
      assertThat(asleep.status()).isEqualTo(503);
      assertThat(asleep.errorCode()).isEqualTo("PLUGIN_INACTIVE");
      assertThat(second.post("/api/plugins/sleepy/activate", second.adminToken, null).status())
          .isEqualTo(200);
      assertThat(second.post("/api/plugins/notes/deactivate", second.adminToken, null).status())
          .isEqualTo(200);
    }

    try (TestHost third = TestHost.start(data, dbUrl, false, Map.of())) {
      assertThat(states(third))
          .isEqualTo(
              Map.of(
                  "notes",
                  "initialized",
                  "zzz-base",
                  "active",
                  "aaa-uses",
                  "active",
                  "sleepy",
                  "active"));
      assertThat(third.get("/api/plugins/notes/notes", ada).status()).isEqualTo(503);
      assertThat(third.post("/api/plugins/notes/activate", third.adminToken, null).status())
          .isEqualTo(200);
      assertThat(third.get("/api/plugins/notes/notes", ada).text())
          .isEqualTo("[\"before restart\",\"after restart\"]");
    }
  }

  /**
   * Verify once, at install: a restart opens each plugin's installed folder again instead of
   * extracting its stored package, so a jar changed on disk since install refuses that plugin with
   * the reason while the others start; activating it again restores it from the stored package.
   */
  @Test
  void aJarChangedOnDiskSinceInstallRefusesThatPluginAtRestartAndTheOthersStart() throws Exception {
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    Path data = tmp.resolve("host");
    String dbUrl = TestDatabases.freshEmbedded();
    String ada;
    Path folder;
    try (TestHost first = TestHost.start(data, dbUrl, false, Map.of())) {
      assertThat(first.importZip(plugins.buildZip(NotesPlugin.spec("1.0.0")), "").status())
          .isEqualTo(201);
      assertThat(first.importZip(plugins.buildZip(TestPlugins.simple("bystander")), "").status())
          .isEqualTo(201);
      ada = first.userToken("ada", "user");
      assertThat(first.post("/api/plugins/notes/notes", ada, "kept").status()).isEqualTo(201);
      try (var versions = java.nio.file.Files.list(data.resolve("plugins/notes"))) {
        folder = versions.findFirst().orElseThrow();
      }
    }
    // The folder the first host verified is the one the next start opens: no re-extraction.
    try (TestHost second = TestHost.start(data, dbUrl, false, Map.of())) {
      assertThat(states(second)).isEqualTo(Map.of("notes", "active", "bystander", "active"));
      assertThat(java.nio.file.Files.isDirectory(folder)).isTrue();
    }
    Path jar;
    try (var jars = java.nio.file.Files.list(folder.resolve("backend/dist"))) {
      jar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
    }
    java.nio.file.Files.write(jar, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);

    try (TestHost third = TestHost.start(data, dbUrl, false, Map.of())) {
      JsonNode notes = third.get("/api/plugins/notes/status").data();
      assertThat(notes.get("state").asString()).isEqualTo("failed");
      assertThat(notes.get("failure").asString())
          .contains("changed since install")
          .contains("backend/dist/" + jar.getFileName());
      assertThat(third.get("/api/plugins/bystander/status").data().get("state").asString())
          .isEqualTo("active");
      assertThat(third.get("/api/plugins/notes/notes", ada).status()).isEqualTo(503);

      // Activating it again restores it from the package stored (and verified) at install.
      assertThat(third.post("/api/plugins/notes/activate", third.adminToken, null).status())
          .isEqualTo(200);
      assertThat(third.get("/api/plugins/notes/notes", ada).text()).isEqualTo("[\"kept\"]");
    }
  }

  private static Map<String, String> states(TestHost host) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode p : host.get("/api/plugins").data()) {
      out.put(p.get("id").asString(), p.get("state").asString());
    }
    return out;
  }
}
