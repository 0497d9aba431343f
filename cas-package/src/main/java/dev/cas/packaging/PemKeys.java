package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes keys as PEM files in the forms {@code openssl genpkey} and {@code openssl pkey
 * -pubout} use: PKCS#8 {@code PRIVATE KEY} and X.509 SubjectPublicKeyInfo {@code PUBLIC KEY}.
 */
public final class PemKeys {

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private PemKeys() {}

  /** Generates a key pair: RSA of {@code rsaBits} bits or Ed25519. */
  public static KeyPair generate(SignatureAlgorithm algorithm, int rsaBits) {
    try {
      if (algorithm == SignatureAlgorithm.RSA_SHA256) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(new RSAKeyGenParameterSpec(rsaBits, RSAKeyGenParameterSpec.F4));
        KeyPair pair = generator.generateKeyPair();
        SignatureAlgorithm.forKey(pair.getPublic());
        return pair;
      }
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PackageException(Reason.KEY_INVALID, null, "cannot generate key: " + e, e);
    }
  }

  /** Reads a PKCS#8 private key (RSA or Ed25519). */
  public static PrivateKey readPrivate(Path file) {
    return parsePrivate(decode(file, "PRIVATE KEY"), file.toString());
  }

  /**
   * Reads a PKCS#8 private key (RSA or Ed25519) from PEM text, e.g. held in an environment
   * variable.
   *
   * @param source what to call it in errors (never the key itself)
   */
  public static PrivateKey readPrivate(String pem, String source) {
    return parsePrivate(decodeText(pem, source, "PRIVATE KEY"), source);
  }

  private static PrivateKey parsePrivate(byte[] der, String source) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "Ed25519"}) {
      try {
        PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
        SignatureAlgorithm.forKey(key);
        return key;
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new PackageException(
        Reason.KEY_INVALID,
        source,
        "[" + source + "] is not an RSA or Ed25519 private key in PKCS#8 form");
  }

  /** Reads an X.509 SubjectPublicKeyInfo public key (RSA or Ed25519). */
  public static PublicKey readPublic(Path file) {
    return parsePublic(decode(file, "PUBLIC KEY"), file.toString());
  }

  /** Decodes a public key from its DER SubjectPublicKeyInfo. */
  static PublicKey parsePublic(byte[] der, String source) {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "Ed25519"}) {
      try {
        PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(spec);
        SignatureAlgorithm.forKey(key);
        return key;
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new PackageException(
        Reason.KEY_INVALID, source, "[" + source + "] is not an RSA or Ed25519 public key");
  }

  /**
   * The public half of a private key, so that a signer needs only its private key file. For Ed25519
   * the JDK has no direct derivation; the key pair generator run on the private key's seed yields
   * the same pair (RFC 8032: the public key is a function of the seed).
   */
  public static PublicKey publicKeyOf(PrivateKey key) {
    try {
      if (key instanceof RSAPrivateCrtKey rsa) {
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      if (key instanceof EdECPrivateKey ed) {
        byte[] seed = ed.getBytes().orElseThrow();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(255, new FixedSeed(seed));
        return generator.generateKeyPair().getPublic();
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new PackageException(Reason.KEY_INVALID, null, "cannot derive public key: " + e, e);
    }
    throw new PackageException(
        Reason.KEY_INVALID, "cannot derive the public key of a [" + key.getAlgorithm() + "] key");
  }

  /** {@code sha256:<hex>} of the public key's DER SubjectPublicKeyInfo. */
  public static String keyId(PublicKey key) {
    return "sha256:" + ChecksumFile.sha256(key.getEncoded());
  }

  /** Writes a private key as PKCS#8 PEM, readable by openssl. */
  public static void writePrivate(PrivateKey key, Path file) {
    write(file, "PRIVATE KEY", key.getEncoded());
  }

  /** Writes a public key as SubjectPublicKeyInfo PEM, readable by openssl. */
  public static void writePublic(PublicKey key, Path file) {
    write(file, "PUBLIC KEY", key.getEncoded());
  }

  private static void write(Path file, String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    try {
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new PackageException(
          Reason.IO_ERROR, file.toString(), "cannot write [" + file + "]", e);
    }
  }

  private static byte[] decode(Path file, String expectedType) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new PackageException(
          Reason.KEY_INVALID, file.toString(), "cannot read key file [" + file + "]: " + e, e);
    }
    return decodeText(text, file.toString(), expectedType);
  }

  private static byte[] decodeText(String text, String file, String expectedType) {
    Matcher m = PEM.matcher(text);
    if (!m.find()) {
      throw new PackageException(Reason.KEY_INVALID, file, "[" + file + "] holds no PEM block");
    }
    if (!m.group(1).equals(expectedType)) {
      throw new PackageException(
          Reason.KEY_INVALID,
          file,
          "["
              + file
              + "] holds a ["
              + m.group(1)
              + "] block; expected ["
              + expectedType
              + "] as openssl genpkey / pkey -pubout write");
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new PackageException(Reason.KEY_INVALID, file, "[" + file + "] has invalid base64", e);
    }
  }

  /** A random source that returns one fixed seed, to rebuild an Ed25519 key pair from its seed. */
  private static final class FixedSeed extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("unexpected request of " + bytes.length + " bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
