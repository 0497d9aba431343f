package dev.cas.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * HTTPS on the host's own port, from a PKCS#12 key store holding the host's key and certificate
 * chain ({@code tls.keystore} / {@code CAS_TLS_KEYSTORE}; its password {@code
 * tls.keystore.password} / {@code CAS_TLS_KEYSTORE_PASSWORD}, or from a file named by {@code
 * tls.keystore.password.file} / {@code CAS_TLS_KEYSTORE_PASSWORD_FILE}). Without a key store the
 * host serves plain HTTP, as behind a TLS-terminating proxy. Under TLS the session cookie is {@code
 * Secure}.
 *
 * @param keystore the PKCS#12 file
 * @param password its password (never logged)
 */
public record TlsSettings(Path keystore, String password) {

  /** The password is left out. */
  @Override
  public String toString() {
    return "TlsSettings[keystore=" + keystore + "]";
  }

  static Optional<TlsSettings> load(ServerConfig.Settings s) {
    String path = s.get("tls.keystore", "CAS_TLS_KEYSTORE", "");
    if (path.isBlank()) {
      return Optional.empty();
    }
    Path file = Path.of(path.strip());
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "tls.keystore [" + file + "] is not a file (CAS_TLS_KEYSTORE)");
    }
    return Optional.of(
        new TlsSettings(file, s.secret("tls.keystore.password", "CAS_TLS_KEYSTORE_PASSWORD")));
  }

  /** The server's TLS context: the key store's key and chain, the JDK's default protocols. */
  SSLContext sslContext() {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      // The message names the file and the failure; the password never appears in either.
      throw new IllegalArgumentException(
          "cannot use tls.keystore [" + keystore + "] as a PKCS#12 key store: " + e.getMessage(),
          e);
    }
  }
}
