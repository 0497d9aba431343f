package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.security.Key;
import java.util.Arrays;
import java.util.Optional;

/** The signature algorithms a package may be signed with, by the names metadata.json uses. */
public enum SignatureAlgorithm {
  /** RSA of 2048 bits or more, PKCS#1 v1.5 padding over SHA-256 ({@code openssl dgst -sha256}). */
  RSA_SHA256("SHA256withRSA", "RSA"),
  /** Ed25519 over the raw message ({@code openssl pkeyutl -rawin}). */
  ED25519("Ed25519", "EdDSA");

  /** Smallest RSA modulus accepted, in bits. */
  static final int MIN_RSA_BITS = 2048;

  private final String jcaName;
  private final String keyAlgorithm;

  SignatureAlgorithm(String jcaName, String keyAlgorithm) {
    this.jcaName = jcaName;
    this.keyAlgorithm = keyAlgorithm;
  }

  /** The name in metadata.json and in the JDK: {@code SHA256withRSA} or {@code Ed25519}. */
  public String jcaName() {
    return jcaName;
  }

  /** Finds an algorithm by its metadata.json name. */
  public static Optional<SignatureAlgorithm> byName(String name) {
    return Arrays.stream(values()).filter(a -> a.jcaName.equals(name)).findFirst();
  }

  /** The algorithm a key signs with; refuses keys of other kinds and RSA keys under 2048 bits. */
  public static SignatureAlgorithm forKey(Key key) {
    String algorithm = key.getAlgorithm();
    if (algorithm.equals("RSA")) {
      int bits = rsaBits(key);
      if (bits < MIN_RSA_BITS) {
        throw new PackageException(
            Reason.KEY_INVALID,
            "RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
      }
      return RSA_SHA256;
    }
    if (algorithm.equals("EdDSA") || algorithm.equals("Ed25519")) {
      return ED25519;
    }
    throw new PackageException(
        Reason.KEY_INVALID,
        "key algorithm [" + algorithm + "] is not supported; use RSA (2048+ bits) or Ed25519");
  }

  private static int rsaBits(Key key) {
    if (key instanceof java.security.interfaces.RSAKey rsa) {
      return rsa.getModulus().bitLength();
    }
    return 0;
  }

  boolean matches(Key key) {
    return keyAlgorithm.equals(key.getAlgorithm())
        || (this == ED25519 && key.getAlgorithm().equals("Ed25519"));
  }
}
