package dev.cas.cli;

import dev.cas.packaging.PemKeys;
import dev.cas.packaging.SignatureAlgorithm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cas keygen}: a signing key pair as openssl-compatible PEM files. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a signing key pair: DIR/private-key.pem (PKCS#8, mode 600) and DIR/public-key.pem"
          + " (X.509 SubjectPublicKeyInfo), as openssl genpkey writes them.",
      "Give public-key.pem to the hosts that should trust your packages."
    })
final class KeygenCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--algorithm",
      defaultValue = "ed25519",
      description = "rsa or ed25519 (default: ${DEFAULT-VALUE})")
  String algorithm;

  @Option(
      names = "--bits",
      defaultValue = "3072",
      description = "RSA key size, at least 2048 (default: ${DEFAULT-VALUE})")
  int bits;

  @Option(names = "--out", required = true, description = "folder for the two PEM files")
  Path out;

  @Option(names = "--force", description = "overwrite existing key files")
  boolean force;

  @Option(names = "--json", description = "print the result as JSON")
  boolean json;

  @Override
  public Integer call() {
    SignatureAlgorithm alg =
        switch (algorithm.toLowerCase(java.util.Locale.ROOT)) {
          case "rsa" -> SignatureAlgorithm.RSA_SHA256;
          case "ed25519" -> SignatureAlgorithm.ED25519;
          default ->
              throw new UsageException(
                  "--algorithm must be rsa or ed25519, not [" + algorithm + "]");
        };
    if (alg == SignatureAlgorithm.RSA_SHA256 && bits < 2048) {
      throw new UsageException("--bits must be at least 2048, not [" + bits + "]");
    }
    Path privateFile = out.resolve("private-key.pem");
    Path publicFile = out.resolve("public-key.pem");
    if (!force && (Files.exists(privateFile) || Files.exists(publicFile))) {
      throw new UsageException(
          "[" + privateFile + "] or [" + publicFile + "] exists; use --force to replace");
    }
    KeyPair pair = PemKeys.generate(alg, bits);
    try {
      Files.createDirectories(out);
      Files.deleteIfExists(privateFile);
      Files.createFile(
          privateFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PemKeys.writePrivate(pair.getPrivate(), privateFile);
    PemKeys.writePublic(pair.getPublic(), publicFile);
    String keyId = PemKeys.keyId(pair.getPublic());
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("algorithm", alg.jcaName());
      result.put("keyId", keyId);
      result.put("privateKey", privateFile.toString());
      result.put("publicKey", publicFile.toString());
      Json.print(spec.commandLine().getOut(), result);
    } else {
      var o = spec.commandLine().getOut();
      o.println("private key: " + privateFile + " (keep it secret)");
      o.println("public key:  " + publicFile);
      o.println("key id:      " + keyId + " (" + alg.jcaName() + ")");
    }
    return Cas.OK;
  }
}
