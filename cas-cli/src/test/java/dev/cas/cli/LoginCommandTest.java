package dev.cas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code cas login} and {@code cas logout} against a real host: the credentials file, where the
 * host and token come from ({@code --host}, {@code CAS_HOST}, {@code CAS_TOKEN}), and exit code 3
 * when the host is not there or refuses the credentials.
 */
class LoginCommandTest {

  @RegisterExtension static final HostFixture HOST = new HostFixture();

  @AfterEach
  void logout() {
    HOST.run(Map.of(), "", "logout");
  }

  private static Path credentials() {
    return HOST.home().resolve(".config/cas/credentials");
  }

  @Test
  void loginKeepsTheHostAndAnApiTokenInAFileOnlyTheOwnerCanRead() throws Exception {
    HostFixture.Run r =
        HOST.run(
            Map.of(),
            TestHost.ADMIN_PASSWORD + "\n",
            "login",
            "--host",
            HOST.url(),
            "--user",
            "admin",
            "--password-stdin");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "signed in to host ["
                + HOST.url()
                + "] as [admin]; token kept in "
                + credentials()
                + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials().getParent())))
        .isEqualTo("rwx------");
    JsonNode stored = HostFixture.JSON.readTree(HostFixture.read(credentials()));
    assertThat(stored.get("host").asString()).isEqualTo(HOST.url());
    assertThat(stored.get("user").asString()).isEqualTo("admin");
    String token = stored.get("token").asString();
    assertThat(token).startsWith("cas_");
    assertThat(r.out() + r.err()).doesNotContain(token).doesNotContain(TestHost.ADMIN_PASSWORD);
    assertThat(HostFixture.read(credentials())).doesNotContain(TestHost.ADMIN_PASSWORD);

    // The stored host and token are used with no --host and no CAS_HOST.
    HostFixture.Run plugins = HOST.run(Map.of(), "", "plugins");
    assertThat(plugins.exit()).as(plugins.toString()).isZero();

    HostFixture.Run out = HOST.run(Map.of(), "", "logout");
    assertThat(out.out())
        .isEqualTo(
            "signed out of host ["
                + HOST.url()
                + "]: token revoked; deleted "
                + credentials()
                + "\n");
    assertThat(credentials()).doesNotExist();
    assertThat(HOST.host().get("/api/plugins", token).status()).isEqualTo(401);
    HostFixture.Run after = HOST.run(Map.of("CAS_HOST", HOST.url()), "", "plugins");
    assertThat(after.exit()).isEqualTo(3);
    assertThat(after.err())
        .isEqualTo(
            "cas: not signed in to host ["
                + HOST.url()
                + "]: run cas login --host "
                + HOST.url()
                + " (or set CAS_TOKEN)\n");
  }

  @Test
  void aWrongPasswordIsRefusedWithExitCode3AndNothingStored() {
    HostFixture.Run r =
        HOST.run(Map.of("CAS_HOST", HOST.url()), "not-the-password\n", "login", "--password-stdin");

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "cas: UNAUTHENTICATED: host ["
                + HOST.url()
                + "] refused the sign-in of [admin]: wrong username or password\n");
    assertThat(credentials()).doesNotExist();
  }

  @Test
  void withoutATerminalThePasswordMustComeFromStandardInput() {
    HostFixture.Run r = HOST.run(Map.of("CAS_HOST", HOST.url()), "", "login");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("cas: no terminal to ask the password on: pipe it in with --password-stdin\n");
  }

  @Test
  void anUnreachableHostIsExitCode3AndNamed() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String nowhere = "http://localhost:" + port;

    HostFixture.Run r = HOST.run(Map.of("CAS_TOKEN", "cas_x"), "", "plugins", "--host", nowhere);

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err())
        .startsWith("cas: cannot reach host [" + nowhere + "]: ")
        .endsWith(" (is it running? name another with --host or CAS_HOST)\n");
  }

  @Test
  void casTokenAndCasHostDriveAHostWithoutLogin() {
    HostFixture.Run r =
        HOST.run(
            Map.of("CAS_HOST", HOST.url(), "CAS_TOKEN", HOST.host().adminToken()), "", "users");
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("admin");

    HostFixture.Run bad =
        HOST.run(Map.of("CAS_HOST", HOST.url(), "CAS_TOKEN", "cas_not-a-token"), "", "users");
    assertThat(bad.exit()).isEqualTo(3);
    assertThat(bad.err())
        .isEqualTo(
            "cas: UNAUTHENTICATED: host ["
                + HOST.url()
                + "] refused the credentials: the token is unknown or expired (cas login --host "
                + HOST.url()
                + ")\n");
  }

  @Test
  void theStoredTokenGoesOnlyToTheHostThatIssuedIt() {
    HOST.login();

    HostFixture.Run r = HOST.run(Map.of(), "", "plugins", "--host", "http://127.0.0.1:9");

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "cas: not signed in to host [http://127.0.0.1:9]: run cas login --host"
                + " http://127.0.0.1:9 (or set CAS_TOKEN)\n");
  }

  @Test
  void aCredentialsFileOthersCanReadIsRefused() throws Exception {
    HOST.login();
    Files.setPosixFilePermissions(credentials(), PosixFilePermissions.fromString("rw-r--r--"));

    HostFixture.Run r = HOST.run(Map.of(), "", "plugins");

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "cas: credentials file ["
                + credentials()
                + "] may be read by others (mode rw-r--r--): chmod 600 it, or cas logout and cas"
                + " login again\n");

    // Its token is one others may have: logout revokes it all the same.
    String token =
        HostFixture.JSON.readTree(HostFixture.read(credentials())).get("token").asString();
    HostFixture.Run out = HOST.run(Map.of(), "", "logout");
    assertThat(out.out()).contains("token revoked; deleted");
    assertThat(HOST.host().get("/api/plugins", token).status()).isEqualTo(401);
  }

  @Test
  void aHostThatIsNotAUrlIsAUsageError() {
    HostFixture.Run r = HOST.run(Map.of("CAS_TOKEN", "x"), "", "plugins", "--host", "ftp://x");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("cas: host [ftp://x] is not an http:// or https:// URL with a host name\n");
  }
}
