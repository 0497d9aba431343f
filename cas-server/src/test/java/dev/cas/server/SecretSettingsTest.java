package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret settings come from files named by {@code CAS_…_FILE} (or {@code <key>.file}), so the host
 * need keep no secret in its environment or command line; and they never show in the logged config.
 */
class SecretSettingsTest {

  @TempDir Path tmp;

  @Test
  void secretsAreReadFromTheFilesTheirVariablesName() throws Exception {
    Path admin = Files.writeString(tmp.resolve("admin"), "from-a-file-123\n");
    Path db = Files.writeString(tmp.resolve("db"), "db-secret-456");
    Files.writeString(
        tmp.resolve("cas.properties"), "secret.key.file=" + tmp.resolve("key") + "\n");
    Files.writeString(tmp.resolve("key"), "a2V5LWtleS1rZXk=");

    ServerConfig c =
        ServerConfig.load(
            List.of("--data", tmp.toString()),
            Map.of(
                "CAS_ADMIN_PASSWORD_FILE",
                admin.toString(),
                "CAS_DB_PASSWORD_FILE",
                db.toString()));

    assertThat(c.adminPassword()).isEqualTo("from-a-file-123");
    assertThat(c.dbPassword()).isEqualTo("db-secret-456");
    assertThat(c.secretKey()).isEqualTo("a2V5LWtleS1rZXk=");
    assertThat(c.toString()).doesNotContain("from-a-file-123", "db-secret-456", "a2V5LWtleS1rZXk=");
  }

  @Test
  void aPasswordInTheDatabaseUrlIsMaskedInTheLoggedConfig() {
    ServerConfig c =
        ServerConfig.load(
            List.of(
                "--data",
                tmp.toString(),
                "--db",
                "jdbc:postgresql://db:5432/cas?user=cas&password=url-secret-789&ssl=true"),
            Map.of());
    assertThat(c.toString())
        .contains("jdbc:postgresql://db:5432/cas?user=cas&password=***&ssl=true")
        .doesNotContain("url-secret-789");
  }

  @Test
  void aMissingSecretFileIsRefusedByName() {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    List.of("--data", tmp.toString()),
                    Map.of("CAS_ADMIN_PASSWORD_FILE", missing.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot read admin.password from file [" + missing + "]: " + missing);
  }
}
