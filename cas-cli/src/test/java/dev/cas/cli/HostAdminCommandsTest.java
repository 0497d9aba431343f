package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host commands around the plugins, against a real host: health, audit, users, tokens, docs,
 * and the completion script; and a user without the admin role refused with the host's reason.
 */
class HostAdminCommandsTest {

  @RegisterExtension static final HostFixture HOST = new HostFixture();

  @BeforeAll
  static void install() {
    HOST.login();
    HostFixture.Run r = HOST.cas("install", HOST.build(NotesPackages.v1()).toString(), "--yes");
    if (r.exit() != 0) {
      throw new IllegalStateException(r.toString());
    }
  }

  @Test
  void healthOfTheHostNeedsNoSignInAndOfAPluginSaysWhetherItIsHealthy() {
    HostFixture.Run host = HOST.run(Map.of("CAS_HOST", HOST.url()), "", "health");
    assertThat(host.exit()).as(host.toString()).isZero();
    assertThat(host.out()).isEqualTo("host [" + HOST.url() + "] is up\n");

    HostFixture.Run plugin = HOST.cas("health", "notes");
    assertThat(plugin.exit()).as(plugin.toString()).isZero();
    assertThat(plugin.out())
        .startsWith("plugin [notes] on host [" + HOST.url() + "] is active and healthy");
    assertThat(HOST.cas("health", "notes", "--json").json().get("healthy").asBoolean()).isTrue();
  }

  @Test
  void auditListsTheInstallNewestFirst() {
    HostFixture.Run r = HOST.cas("audit", "--plugin", "notes", "--limit", "5");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .startsWith("AT ")
        .contains(" admin ")
        .contains(" import ")
        .contains(" notes ");
    HostFixture.Run json = HOST.cas("audit", "--plugin", "notes", "--json");
    assertThat(json.json().get(0).get("target").asString()).isEqualTo("notes");

    HostFixture.Run bad = HOST.cas("audit", "--limit", "0");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("cas: --limit must be 1 to 1000, not [0]\n");
  }

  @Test
  void usersAndAnotherUsersRefusalByRole() {
    String ada = HOST.host().createUser("ada", "user");

    HostFixture.Run r = HOST.cas("users");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("USERNAME  ROLES").contains("\nada  ").contains("\nadmin ");

    HostFixture.Run refused =
        HOST.run(Map.of("CAS_HOST", HOST.url(), "CAS_TOKEN", ada), "", "users");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .isEqualTo(
            "cas: FORBIDDEN: user [ada] lacks role [admin] for GET /api/users (host ["
                + HOST.url()
                + "])\n");
  }

  @Test
  void tokensCreatePrintsATokenThatWorksInCasToken() {
    HostFixture.Run r = HOST.cas("tokens", "create", "ci");

    assertThat(r.exit()).as(r.toString()).isZero();
    String token = r.out().strip();
    assertThat(token).startsWith("cas_");
    assertThat(r.err())
        .isEqualTo("token [ci] created on host [" + HOST.url() + "]: keep it, it is shown once\n");
    HostFixture.Run used =
        HOST.run(Map.of("CAS_HOST", HOST.url(), "CAS_TOKEN", token), "", "plugins", "--json");
    assertThat(used.exit()).as(used.toString()).isZero();
  }

  @Test
  void docsListsThePagesAndPrintsOneByNumberOrType() {
    TestHost.Response added =
        HOST.host()
            .post(
                "/api/plugins/notes/docs",
                HOST.host().adminToken(),
                "{\"type\": \"user_guide\", \"title\": \"Using notes\", \"format\": \"markdown\","
                    + " \"content\": \"# Notes\\nWrite one.\"}");
    assertThat(added.status()).as(added.text()).isEqualTo(201);
    long id = added.data().get("id").asLong();

    HostFixture.Run list = HOST.cas("docs", "notes");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains(id + "    user_guide  markdown  Using notes\n");

    assertThat(HOST.cas("docs", "notes", "user_guide").out()).isEqualTo("# Notes\nWrite one.\n");
    assertThat(HOST.cas("docs", "notes", String.valueOf(id)).out())
        .isEqualTo("# Notes\nWrite one.\n");
    HostFixture.Run missing = HOST.cas("docs", "notes", "changelog");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo(
            "cas: NOT_FOUND: plugin [notes] has no doc [changelog] (host [" + HOST.url() + "])\n");
  }

  @Test
  void completionPrintsABashScriptThatBashAccepts(@TempDir Path tmp) throws Exception {
    HostFixture.Run r = HOST.run(Map.of(), "", "completion", "bash");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("complete -F _complete_cas")
        .contains("install")
        .contains("--purge-data");
    assertThat(HOST.run(Map.of(), "", "completion", "zsh").out()).contains("bashcompinit");

    Path script = tmp.resolve("cas-completion.bash");
    Files.writeString(script, r.out(), StandardCharsets.UTF_8);
    Process bash =
        new ProcessBuilder("bash", "-c", "source \"$1\" && complete -p cas", "x", script.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor()).as(out).isZero();
    assertThat(out).isEqualTo("complete -o default -F _complete_cas cas\n");

    HostFixture.Run fish = HOST.run(Map.of(), "", "completion", "fish");
    assertThat(fish.exit()).isEqualTo(2);
    assertThat(fish.err()).isEqualTo("cas: completion: shell must be bash or zsh, not [fish]\n");
  }

  @Test
  void logsPrintsThePluginsLinesFilteredByLevelAndAge() {
    String admin = HOST.host().adminToken();
    assertThat(HOST.host().get("/api/plugins/notes/say?msg=hello%20from%20notes", admin).status())
        .isEqualTo(200);
    assertThat(
            HOST.host()
                .get("/api/plugins/notes/say?level=WARNING&msg=careful%20now", admin)
                .status())
        .isEqualTo(200);

    HostFixture.Run all = HOST.cas("logs", "notes");
    assertThat(all.exit()).as(all.toString()).isZero();
    assertThat(all.out())
        .containsPattern("\\S+Z INFO  \\[[^]]+\\] plugin\\.notes - hello from notes\n")
        .containsPattern("\\S+Z WARN  \\[[^]]+\\] plugin\\.notes - careful now\n");

    HostFixture.Run warn = HOST.cas("logs", "notes", "--level", "warn", "--since", "1h");
    assertThat(warn.out()).contains("careful now").doesNotContain("hello from notes");
    HostFixture.Run json = HOST.cas("logs", "notes", "--json");
    assertThat(json.json().get("lines").size()).isGreaterThanOrEqualTo(2);

    HostFixture.Run badSince = HOST.cas("logs", "notes", "--since", "a while");
    assertThat(badSince.exit()).isEqualTo(2);
    assertThat(badSince.err())
        .isEqualTo("cas: --since [a while] is not a duration such as 30s, 10m, 2h, 1d or PT10M\n");
    HostFixture.Run badLevel = HOST.cas("logs", "notes", "--level", "loud");
    assertThat(badLevel.exit()).isEqualTo(2);
    assertThat(badLevel.err())
        .isEqualTo("cas: --level [loud] is not one of TRACE, DEBUG, INFO, WARN, ERROR\n");
  }
}
