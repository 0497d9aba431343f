package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A migrated PF4J plugin in a host with the sandbox agent (failsafe starts this JVM with {@code
 * -javaagent}, as {@code ./cas server} does): PF4J, its SLF4J logging into the plugin's log and the
 * deprecated wrapper constructor's proxy manager all work inside the plugin's class loader, with no
 * denial.
 */
@Tag("sandboxed")
class MigrateLegacySandboxedIT {

  @RegisterExtension static final HostFixture HOST = new HostFixture();

  @Test
  void aMigratedPluginStartsAndLogsUnderTheSandboxWithNoDenial() {
    HOST.login();
    Pf4jJars.build(
        HOST.dir().resolve("welcome.jar"),
        MigrateLegacyCommandTest.WELCOME_SOURCES,
        Map.of("plugin.properties", MigrateLegacyCommandTest.WELCOME_PROPERTIES),
        Map.of());
    Pf4jJars.build(
        HOST.dir().resolve("hello.jar"),
        Map.of("org.example.hello.HelloPlugin", MigrateLegacyCommandTest.HELLO_SOURCE),
        Map.of(),
        Map.of(
            "Plugin-Id", "hello-plugin",
            "Plugin-Class", "org.example.hello.HelloPlugin",
            "Plugin-Version", "1.0.0"));
    for (String[] jar : new String[][] {{"welcome.jar", "welcome"}, {"hello.jar", "hello"}}) {
      HostFixture.Run migrated =
          HOST.cas("migrate-legacy", jar[0], "--id", jar[1], "--out", jar[1] + ".zip");
      assertThat(migrated.exit()).as(migrated.toString()).isZero();
      HostFixture.Run install =
          HOST.cas("install", HOST.dir().resolve(jar[1] + ".zip").toString(), "--yes");
      assertThat(install.exit()).as(install.toString()).isZero();
    }

    assertThat(HOST.cas("logs", "welcome").out()).contains("welcome plugin started\n");
    assertThat(HOST.cas("logs", "hello").out()).contains("hello started as hello-plugin 1.0.0\n");
    Map.of("welcome", "0.1.0", "hello", "1.0.0")
        .forEach(
            (id, version) -> {
              HostFixture.Run status = HOST.cas("status", id);
              assertThat(status.out())
                  .as(status.toString())
                  .startsWith(id + " " + version + ": active")
                  .contains("  sandbox:  enforced, 0 denials");
            });
  }
}
