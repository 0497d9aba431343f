package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code cas migrate-legacy} on real PF4J plugin jars (compiled against PF4J 3.15.0 with its
 * annotation processor): the packages install into a real host, start their PF4J plugin (its log
 * line is in the plugin's logs), and the report names the extensions that did not carry over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrateLegacyCommandTest {

  @RegisterExtension static final HostFixture HOST = new HostFixture();

  static final Map<String, String> WELCOME_SOURCES =
      Map.of(
          "org.example.greet.Greeting",
          """
          package org.example.greet;
          public interface Greeting extends org.pf4j.ExtensionPoint {
            String greet(String name);
          }
          """,
          "org.example.welcome.WelcomePlugin",
          """
          package org.example.welcome;
          public class WelcomePlugin extends org.pf4j.Plugin {
            @Override public void start() { log.info("welcome plugin started"); }
            @Override public void stop() { log.info("welcome plugin stopped"); }
          }
          """,
          "org.example.welcome.WelcomeGreeting",
          """
          package org.example.welcome;
          @org.pf4j.Extension
          public class WelcomeGreeting implements org.example.greet.Greeting {
            public String greet(String name) { return "Welcome, " + name; }
          }
          """);

  static final String WELCOME_PROPERTIES =
      """
      plugin.id=welcome-plugin
      plugin.class=org.example.welcome.WelcomePlugin
      plugin.version=0.1.0
      plugin.provider=Example Corp
      plugin.description=Says welcome when it starts
      plugin.license=Apache-2.0
      plugin.dependencies=
      """;

  static final String HELLO_SOURCE =
      """
      package org.example.hello;
      public class HelloPlugin extends org.pf4j.Plugin {
        public HelloPlugin(org.pf4j.PluginWrapper wrapper) { super(wrapper); }
        @Override public void start() {
          log.info("hello started as {} {}", getWrapper().getPluginId(),
              getWrapper().getDescriptor().getVersion());
        }
      }
      """;

  static Path welcomeJar;

  @BeforeAll
  static void jars() {
    HOST.login();
    welcomeJar =
        Pf4jJars.build(
            HOST.dir().resolve("welcome-plugin-0.1.0.jar"),
            WELCOME_SOURCES,
            Map.of("plugin.properties", WELCOME_PROPERTIES),
            Map.of());
  }

  @Test
  @Order(1)
  void migratesAPropertiesPluginThatStartsInTheHostAndReportsItsExtension() {
    HostFixture.Run r = HOST.cas("migrate-legacy", "welcome-plugin-0.1.0.jar", "--id", "welcome");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out().replaceAll("sha256 [0-9a-f]{64}", "sha256 …"))
        .isEqualTo(
            MigratingDocs.output("cas migrate-legacy welcome-plugin-0.1.0.jar --id welcome"));
    assertThat(r.err()).isEmpty();

    HostFixture.Run validate =
        HOST.cas(
            "validate",
            HOST.dir().resolve("welcome-v0.1.0.zip").toString(),
            "--strict",
            "--security",
            "--json");
    assertThat(validate.exit()).as(validate.toString()).isZero();
    // The scan's findings are all in the bundled PF4J jar (its plugin manager): none in the
    // plugin's own jar, where they would count.
    assertThat(validate.json().get("securityFindings").valueStream())
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.get("location").asString()).startsWith("org.pf4j."));
    HostFixture.Run install =
        HOST.cas("install", HOST.dir().resolve("welcome-v0.1.0.zip").toString(), "--yes");
    assertThat(install.exit()).as(install.toString()).isZero();
    assertThat(HOST.cas("plugins").out()).contains("welcome  0.1.0    active  welcome-plugin\n");
    assertThat(HOST.cas("logs", "welcome").out())
        .containsPattern("INFO  \\[[^]]+\\] plugin\\.welcome - welcome plugin started\n");

    HostFixture.Run off = HOST.cas("deactivate", "welcome");
    assertThat(off.exit()).as(off.toString()).isZero();
    assertThat(HOST.cas("logs", "welcome").out()).contains("welcome plugin stopped\n");
  }

  @Test
  @Order(2)
  void migratesAManifestOnlyPluginWithTheWrapperConstructorAndADependency() throws IOException {
    Pf4jJars.build(
        HOST.dir().resolve("hello.jar"),
        Map.of("org.example.hello.HelloPlugin", HELLO_SOURCE),
        Map.of(),
        Map.of(
            "Plugin-Id", "HelloPlugin",
            "Plugin-Class", "org.example.hello.HelloPlugin",
            "Plugin-Version", "1.2",
            "Plugin-Requires", ">=1.0.0 & <2.0.0",
            "Plugin-Dependencies", "welcome@>=0.1.0, audit-log?@1.0.0",
            "Plugin-License", "Apache License 2.0"));

    HostFixture.Run r = HOST.cas("migrate-legacy", "hello.jar", "--json");

    assertThat(r.exit()).as(r.toString()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("id").asString()).isEqualTo("hello-plugin");
    assertThat(json.get("version").asString()).isEqualTo("1.2.0");
    assertThat(json.get("file").asString())
        .isEqualTo(HOST.dir().resolve("hello-plugin-v1.2.0.zip").toString());
    assertThat(json.get("pf4j").toString())
        .isEqualTo(
            "{\"source\":\"META-INF/MANIFEST.MF\",\"id\":\"HelloPlugin\",\"pluginClass\":"
                + "\"org.example.hello.HelloPlugin\",\"constructor\":\"PLUGIN_WRAPPER\"}");
    assertThat(json.get("dependencies").toString())
        .isEqualTo("{\"@cas/plugin-api\":\"^1.0.0\",\"welcome\":\">=0.1.0\"}");
    assertThat(json.get("extensions").size()).isZero();
    assertThat(json.get("notCarriedOver").toString())
        .isEqualTo(
            "[\"license [Apache License 2.0]: not an SPDX expression (e.g. Apache-2.0); set"
                + " license in plugin.json\",\"dependency [welcome] → [welcome]: PF4J gave this"
                + " plugin every class of it; a CAS plugin sees only the packages it exports (jar"
                + " manifest CAS-Export-Package), and it must be migrated too\",\"optional"
                + " dependency [audit-log]: CAS has no optional dependencies; left out (the plugin"
                + " starts without it)\"]");
    assertThat(json.get("warnings").toString())
        .contains("PF4J plugin id [HelloPlugin] became [hello-plugin]")
        .contains("PF4J plugin version [1.2] became [1.2.0]")
        .contains(
            "Plugin-Requires [>=1.0.0 & <2.0.0] named a version of the application the plugin"
                + " ran in; it is carried over as compatibility.casVersion [>=1.0.0 <2.0.0]: check"
                + " it against CAS versions")
        .contains("has only the deprecated Plugin(PluginWrapper) constructor");

    HostFixture.Run on = HOST.cas("activate", "welcome");
    assertThat(on.exit()).as(on.toString()).isZero();
    HostFixture.Run install =
        HOST.cas("install", HOST.dir().resolve("hello-plugin-v1.2.0.zip").toString(), "--yes");
    assertThat(install.exit()).as(install.toString()).isZero();
    assertThat(HOST.cas("logs", "hello-plugin").out())
        .contains("plugin.hello-plugin - hello started as HelloPlugin 1.2\n");
  }

  @Test
  @Order(3)
  void signsWithAKey() {
    Path keys = HOST.dir().resolve("keys");
    assertThat(HOST.cas("keygen", "--out", keys.toString()).exit()).isZero();
    HostFixture.Run r =
        HOST.cas(
            "migrate-legacy",
            "welcome-plugin-0.1.0.jar",
            "--id",
            "welcome",
            "--out",
            "signed.zip",
            "--key",
            "keys/private-key.pem");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("\nsigned by sha256:[0-9a-f]{64}\n$");
    HostFixture.Run validate =
        HOST.cas(
            "validate",
            HOST.dir().resolve("signed.zip").toString(),
            "--signature",
            "--trust",
            keys.resolve("public-key.pem").toString());
    assertThat(validate.exit()).as(validate.toString()).isZero();
  }

  @Test
  void refusesAJarWithoutPf4jMetadata() {
    Pf4jJars.build(
        HOST.dir().resolve("plain.jar"),
        Map.of("org.example.Plain", "package org.example; public class Plain {}"),
        Map.of(),
        Map.of());

    HostFixture.Run r = HOST.cas("migrate-legacy", "plain.jar");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "cas: [plain.jar] is not a PF4J plugin: it has no plugin.properties and its manifest"
                + " has no Plugin-Id attribute\n");
  }

  @Test
  void refusesAFileThatIsNotAJar() throws IOException {
    Files.writeString(HOST.dir().resolve("notes.txt"), "not a jar", StandardCharsets.UTF_8);

    HostFixture.Run r = HOST.cas("migrate-legacy", "notes.txt");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("cas: [" + HOST.dir().resolve("notes.txt") + "] is not a jar: ");
  }

  @Test
  void refusesAPluginClassThatIsNotInTheJarAndAnIdThatCannotBeMadeValid() {
    Pf4jJars.build(
        HOST.dir().resolve("broken.jar"),
        Map.of("org.example.Plain", "package org.example; public class Plain {}"),
        Map.of(
            "plugin.properties",
            "plugin.id=x\nplugin.class=org.example.Gone\nplugin.version=1.0.0\n"),
        Map.of());

    HostFixture.Run gone = HOST.cas("migrate-legacy", "broken.jar", "--id", "broken");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err())
        .isEqualTo("cas: the PF4J plugin class [org.example.Gone] is not in the jar\n");

    HostFixture.Run noId = HOST.cas("migrate-legacy", "welcome-plugin-0.1.0.jar", "--id", "Bad_Id");
    assertThat(noId.exit()).isEqualTo(2);
    assertThat(noId.err())
        .isEqualTo(
            "cas: --id [Bad_Id] is not a plugin id (lowercase letters and digits, single dots or"
                + " hyphens between, 3 to 64 characters)\n");

    Pf4jJars.build(
        HOST.dir().resolve("short.jar"),
        Map.of(
            "org.example.Short",
            "package org.example; public class Short extends org.pf4j.Plugin {}"),
        Map.of(
            "plugin.properties",
            "plugin.id=x\nplugin.class=org.example.Short\nplugin.version=1.0.0\n"),
        Map.of());
    HostFixture.Run shortId = HOST.cas("migrate-legacy", "short.jar");
    assertThat(shortId.exit()).isEqualTo(1);
    assertThat(shortId.err())
        .isEqualTo(
            "cas: PF4J plugin id [x] cannot be made a plugin id (lowercase letters and digits,"
                + " single dots or hyphens between, 3 to 64 characters); give one with --id\n");

    HostFixture.Run missing = HOST.cas("migrate-legacy", "nowhere.jar");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err())
        .isEqualTo(
            "cas: PF4J plugin jar ["
                + HOST.dir().resolve("nowhere.jar")
                + "] does not exist or is not a file\n");
  }
}
