package dev.cas.maven;

import dev.cas.packaging.PemKeys;
import dev.cas.packaging.SignatureAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * Where a build's signing key comes from, in this order: a key file, an environment variable
 * holding the PEM text, then (when allowed) the development key pair, made on first use. The key is
 * never copied anywhere, and a key file inside a folder that goes into the package is refused.
 */
final class SigningKeys {

  /** The private key file name of a development key folder, as {@code cas keygen} writes it. */
  static final String PRIVATE_KEY = "private-key.pem";

  /** The public key file name of a development key folder. */
  static final String PUBLIC_KEY = "public-key.pem";

  private SigningKeys() {}

  /**
   * A signing key and what to call it in the log (a path or a variable name, never the key).
   *
   * @param key the private key
   * @param source its file or variable
   * @param development whether it is the development key
   */
  record Found(PrivateKey key, String source, boolean development) {}

  static Optional<Found> find(
      Path keyFile,
      String environmentVariable,
      Function<String, String> env,
      Path devKeyDirectory,
      List<Path> packagedFolders,
      Log log)
      throws MojoFailureException {
    if (keyFile != null) {
      refuseInside(keyFile, packagedFolders);
      if (!Files.isRegularFile(keyFile)) {
        throw new MojoFailureException("signing key file [" + keyFile + "] does not exist");
      }
      return Optional.of(new Found(PemKeys.readPrivate(keyFile), keyFile.toString(), false));
    }
    if (environmentVariable != null && !environmentVariable.isBlank()) {
      String pem = env.apply(environmentVariable);
      if (pem != null && !pem.isBlank()) {
        String source = "environment variable " + environmentVariable;
        return Optional.of(new Found(PemKeys.readPrivate(pem, source), source, false));
      }
    }
    if (devKeyDirectory == null) {
      return Optional.empty();
    }
    Path privateFile = devKeyDirectory.resolve(PRIVATE_KEY);
    refuseInside(privateFile, packagedFolders);
    if (!Files.exists(privateFile)) {
      generate(devKeyDirectory);
      log.info("Created a development signing key in " + devKeyDirectory);
    }
    return Optional.of(new Found(PemKeys.readPrivate(privateFile), privateFile.toString(), true));
  }

  /** Writes a new Ed25519 pair: the private key with mode 600. */
  static void generate(Path dir) throws MojoFailureException {
    KeyPair pair = PemKeys.generate(SignatureAlgorithm.ED25519, 0);
    Path privateFile = dir.resolve(PRIVATE_KEY);
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(privateFile);
      Files.createFile(
          privateFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException | UnsupportedOperationException e) {
      throw new MojoFailureException(
          "cannot create the development key in [" + dir + "]: " + e.getMessage(), e);
    }
    PemKeys.writePrivate(pair.getPrivate(), privateFile);
    PemKeys.writePublic(pair.getPublic(), dir.resolve(PUBLIC_KEY));
  }

  private static void refuseInside(Path keyFile, List<Path> packagedFolders)
      throws MojoFailureException {
    Path key = keyFile.toAbsolutePath().normalize();
    for (Path folder : packagedFolders) {
      if (folder != null && key.startsWith(folder.toAbsolutePath().normalize())) {
        throw new MojoFailureException(
            "the signing key ["
                + keyFile
                + "] lies inside ["
                + folder
                + "], which goes into the package; keep private keys outside the plugin's folders");
      }
    }
  }
}
