package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A plugin's life driven by {@code cas} against a real host: install (preview, question, --yes,
 * --dry-run), list, status, upgrade with its changes, deactivate and activate, configuration with a
 * secret, export, uninstall; and the host's refusals as exit code 1 with its reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginCommandsTest {

  @RegisterExtension static final HostFixture HOST = new HostFixture();

  static Path v1;
  static Path v2;

  @BeforeAll
  static void build() {
    HOST.login();
    v1 = HOST.build(NotesPackages.v1());
    v2 = HOST.build(NotesPackages.v2());
  }

  @Test
  @Order(1)
  void dryRunShowsThePreviewAndChangesNothing() {
    HostFixture.Run r = HOST.cas("install", v1.toString(), "--dry-run");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "notes (notes) 1.0.0: would install on host ["
                + HOST.url()
                + "]\n"
                + "  permissions:   database.read, database.write, http.routes\n"
                + "  sandbox:       (none declared)\n"
                + "  signer:        unsigned (host policy off)\n"
                + "  scan:          0 findings (0 critical, 0 high, 0 medium, 0 low), max risk"
                + " in own code LOW, 0 bundled libraries\n"
                + "  migrations:    001_notes.sql to run\n"
                + "  tables:        notes\n"
                + "  dependencies:  @cas/plugin-api ^1.0.0\n"
                + "dry run: nothing was changed\n");
    assertThat(HOST.cas("plugins", "--json").json().size()).isZero();

    HostFixture.Run json = HOST.cas("install", v1.toString(), "--dry-run", "--json");
    assertThat(json.json().get("outcome").asString()).isEqualTo("install");
    assertThat(json.json().get("database").get("pendingMigrations").toString())
        .isEqualTo("[\"001_notes.sql\"]");
  }

  @Test
  @Order(2)
  void installAsksAndANoChangesNothing() {
    HostFixture.Run r = HOST.casWithInput("n\n", "install", v1.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).startsWith("notes (notes) 1.0.0: would install on host [");
    assertThat(r.err())
        .isEqualTo(
            "Install plugin [notes] 1.0.0 on host ["
                + HOST.url()
                + "]? [y/N] cas: install of plugin [notes] cancelled: not confirmed (--yes skips"
                + " the question); nothing was changed\n");
    assertThat(HOST.cas("plugins", "--json").json().size()).isZero();
  }

  @Test
  @Order(3)
  void installWithAYesInstallsAndThePluginIsListed() {
    HostFixture.Run r = HOST.casWithInput("y\n", "install", v1.toString());

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).endsWith("plugin [notes] 1.0.0 installed on host [" + HOST.url() + "]\n");

    HostFixture.Run list = HOST.cas("plugins");
    assertThat(list.out())
        .isEqualTo("ID     VERSION  STATE   NAME\n" + "notes  1.0.0    active  notes\n");
    HostFixture.Run json = HOST.cas("plugins", "--json");
    assertThat(json.json().get(0).get("id").asString()).isEqualTo("notes");
    assertThat(json.json().get(0).get("state").asString()).isEqualTo("active");

    HostFixture.Run status = HOST.cas("status", "notes");
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out()).startsWith("notes 1.0.0: active\n  health:   up");
    assertThat(HOST.cas("status", "notes", "--json").json().get("healthy").asBoolean()).isTrue();
  }

  @Test
  @Order(4)
  void installingItAgainIsRefusedWithTheHostsReason() {
    HostFixture.Run r = HOST.cas("install", v2.toString(), "--yes");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "cas: UPGRADE_REQUIRED: plugin [notes] version 1.0.0 is installed; import version"
                + " 1.1.0 with upgrade=true to replace it (host ["
                + HOST.url()
                + "]); use cas upgrade "
                + v2
                + "\n");
  }

  @Test
  @Order(5)
  void upgradeShowsWhatChangesAndYesUpgrades() {
    HostFixture.Run preview = HOST.cas("upgrade", v2.toString(), "--dry-run");
    assertThat(preview.exit()).as(preview.toString()).isZero();
    assertThat(preview.out())
        .contains("notes (notes) 1.1.0: would upgrade (installed: 1.0.0) on host [")
        .contains("  migrations:    002_tags.sql to run; applied already: 001_notes.sql\n")
        .contains(
            "  changes from 1.0.0:\n"
                + "    permissions:      +users.read\n"
                + "    tables:           +tags\n"
                + "    allowedHosts:     (no change)\n"
                + "    filesystemAccess: (no change)\n");

    HostFixture.Run r = HOST.cas("upgrade", v2.toString(), "--yes");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).endsWith("plugin [notes] 1.1.0 upgraded on host [" + HOST.url() + "]\n");
  }

  @Test
  @Order(6)
  void deactivateAndActivate() {
    HostFixture.Run off = HOST.cas("deactivate", "notes");
    assertThat(off.exit()).as(off.toString()).isZero();
    assertThat(off.out()).isEqualTo("deactivated [notes] on host [" + HOST.url() + "]\n");
    assertThat(HOST.cas("status", "notes").out()).startsWith("notes 1.1.0: inactive\n");

    HostFixture.Run on = HOST.cas("activate", "notes", "--json");
    assertThat(on.exit()).as(on.toString()).isZero();
    assertThat(on.json().get("state").asString()).isEqualTo("active");
  }

  @Test
  @Order(7)
  void configShowsValuesAndMasksSecretsWhichComeFromStandardInput() {
    HostFixture.Run before = HOST.cas("config", "notes");
    assertThat(before.out())
        .isEqualTo(
            "KEY       VALUE\n"
                + "apiKey    (secret, not set)\n"
                + "greeting  hi\n"
                + "pageSize  20\n");

    HostFixture.Run set =
        HOST.casWithInput(
            "s3cret-value-of-the-test\n",
            "config",
            "notes",
            "set",
            "greeting=hello there",
            "pageSize=50",
            "--secret",
            "apiKey");
    assertThat(set.exit()).as(set.toString()).isZero();
    assertThat(set.out())
        .isEqualTo(
            "configuration of plugin [notes] on host ["
                + HOST.url()
                + "] updated: greeting, pageSize, apiKey\n"
                + "KEY       VALUE\n"
                + "apiKey    ******** (secret, set)\n"
                + "greeting  hello there\n"
                + "pageSize  50\n");

    HostFixture.Run shown = HOST.cas("config", "notes");
    HostFixture.Run json = HOST.cas("config", "notes", "--json");
    assertThat(shown.out()).contains("apiKey    ******** (secret, set)");
    for (HostFixture.Run r : new HostFixture.Run[] {set, shown, json}) {
      assertThat(r.out() + r.err()).doesNotContain("s3cret-value-of-the-test");
    }
    assertThat(json.json().get("secretsSet").toString()).isEqualTo("[\"apiKey\"]");
    // The plugin got it.
    assertThat(HOST.host().get("/api/plugins/notes/key-length", HOST.host().adminToken()).text())
        .isEqualTo("24");
  }

  @Test
  @Order(8)
  void aSecretOnTheCommandLineAndABadValueAreUsageErrors() {
    HostFixture.Run secret = HOST.cas("config", "notes", "set", "apiKey=visible");
    assertThat(secret.exit()).isEqualTo(2);
    assertThat(secret.err())
        .isEqualTo(
            "cas: [apiKey] of plugin [notes] is a secret: give it with --secret apiKey (read from"
                + " standard input), not on the command line\n");

    HostFixture.Run number = HOST.cas("config", "notes", "set", "pageSize=many");
    assertThat(number.exit()).isEqualTo(2);
    assertThat(number.err()).isEqualTo("cas: [pageSize] is an integer, not [many]\n");
  }

  @Test
  @Order(9)
  void exportWritesAPackageThatInspectReads() throws Exception {
    Path out = HOST.dir().resolve("notes-export.zip");

    HostFixture.Run r = HOST.cas("export", "notes", "--out", out.toString());

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .startsWith("exported plugin [notes] from host [" + HOST.url() + "] to " + out + " (")
        .endsWith(" bytes)\n");
    HostFixture.Run inspected = HOST.cas("inspect", out.toString());
    assertThat(inspected.exit()).as(inspected.toString()).isZero();
    assertThat(inspected.out()).startsWith("notes (notes) 1.1.0\n");
    try (ZipFile zip = new ZipFile(out.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        assertThat(new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1))
            .as(e.getName())
            .doesNotContain("s3cret-value-of-the-test");
      }
    }

    Path nowhere = HOST.dir().resolve("no-such-folder/x.zip");
    HostFixture.Run noFolder = HOST.cas("export", "notes", "--out", nowhere.toString());
    assertThat(noFolder.exit()).isEqualTo(2);
    assertThat(noFolder.err())
        .isEqualTo(
            "cas: --out [" + nowhere + "]: folder [" + nowhere.getParent() + "] does not exist\n");

    HostFixture.Run withUsers = HOST.cas("export", "notes", "--users", "ada");
    assertThat(withUsers.exit()).isEqualTo(2);
    assertThat(withUsers.err()).isEqualTo("cas: --users selects rows: it needs --include-data\n");
  }

  @Test
  @Order(10)
  void refusalsCarryTheHostsReasonAndExitCode1() {
    HostFixture.Run r = HOST.cas("status", "nope");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("cas: NOT_FOUND: plugin [nope] is not installed (host [" + HOST.url() + "])\n");

    HostFixture.Run badId = HOST.cas("activate", "../users");
    assertThat(badId.exit()).isEqualTo(2);
    assertThat(badId.err())
        .isEqualTo(
            "cas: plugin id [../users] is not a plugin id (lowercase letters and digits, single"
                + " dots or hyphens between)\n");

    HostFixture.Run missing = HOST.cas("install", HOST.dir().resolve("none.zip").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo("cas: package [" + HOST.dir().resolve("none.zip") + "] is not a file\n");
  }

  @Test
  @Order(11)
  void uninstallAsksAndYesUninstalls() {
    HostFixture.Run no = HOST.casWithInput("\n", "uninstall", "notes");
    assertThat(no.exit()).isEqualTo(1);
    assertThat(no.err())
        .isEqualTo(
            "Uninstall plugin [notes] from host ["
                + HOST.url()
                + "] (its data is kept)? [y/N] cas: uninstall of plugin [notes] cancelled: not"
                + " confirmed (--yes skips the question); nothing was changed\n");

    HostFixture.Run r = HOST.cas("uninstall", "notes", "--purge-data", "--yes");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("uninstalled [notes] on host [" + HOST.url() + "]\n");
    assertThat(HOST.cas("plugins").out()).isEqualTo("no plugins on host [" + HOST.url() + "]\n");
  }
}
