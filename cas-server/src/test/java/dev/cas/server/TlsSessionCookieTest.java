package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host serving HTTPS itself ({@code tls.keystore}, a PKCS#12 file made here by the JDK's {@code
 * keytool}): the browser session's cookie carries {@code Secure}, and the port speaks no plain
 * HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsSessionCookieTest {

  private static final String STORE_PASSWORD = "store-pw-" + System.nanoTime();

  @TempDir static Path tmp;
  private CasServer server;
  private HttpClient https;

  @BeforeAll
  void start() throws Exception {
    Path keystore = tmp.resolve("host.p12");
    Path keytool =
        Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
    Process p =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    "cas",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    keystore.toString(),
                    "-storepass",
                    STORE_PASSWORD))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    Path passwordFile = Files.writeString(tmp.resolve("store.password"), STORE_PASSWORD + "\n");
    server =
        CasServer.start(
            ServerConfig.load(
                List.of(
                    "--port",
                    "0",
                    "--db",
                    TestDatabases.freshEmbedded(),
                    "--data",
                    tmp.resolve("data").toString()),
                Map.of(
                    "CAS_ADMIN_PASSWORD", TestHost.ADMIN_PASSWORD,
                    "CAS_TLS_KEYSTORE", keystore.toString(),
                    "CAS_TLS_KEYSTORE_PASSWORD_FILE", passwordFile.toString())));
    // The client trusts exactly the host's own certificate.
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      trust.load(in, STORE_PASSWORD.toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    https = HttpClient.newBuilder().sslContext(context).build();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void theSessionCookieIsSecureUnderTls() throws Exception {
    HttpResponse<String> r =
        https.send(
            HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/api/auth/session"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"admin\", \"password\": \""
                            + TestHost.ADMIN_PASSWORD
                            + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("set-cookie").orElseThrow())
        .matches(
            "cas_session=cas_[A-Za-z0-9_-]+; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200;"
                + " Secure");
    // The same port over plain HTTP gets no answer a browser would take.
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .send(
                        HttpRequest.newBuilder(
                                URI.create("http://localhost:" + server.port() + "/api/health"))
                            // The host waits for a TLS handshake that never comes: end the wait.
                            .timeout(java.time.Duration.ofSeconds(10))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aKeystoreThatIsNoFileIsNamedAtStart() {
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    List.of("--data", tmp.resolve("other").toString()),
                    Map.of("CAS_TLS_KEYSTORE", tmp.resolve("missing.p12").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tls.keystore [" + tmp.resolve("missing.p12") + "] is not a file (CAS_TLS_KEYSTORE)");
  }

  @Test
  void aWrongKeystorePasswordIsNamedWithoutThePassword() {
    TlsSettings wrong = new TlsSettings(tmp.resolve("host.p12"), "not-the-password");
    assertThatThrownBy(wrong::sslContext)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "cannot use tls.keystore [" + tmp.resolve("host.p12") + "] as a PKCS#12 key store: ")
        .message()
        .doesNotContain("not-the-password");
    assertThat(wrong.toString()).doesNotContain("not-the-password");
  }
}
