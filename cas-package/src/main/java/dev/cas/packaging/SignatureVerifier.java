package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;

/**
 * Signs {@code checksum.sha256} and checks {@code signature.sig} against a trust store under a
 * policy. The signature covers the checksum file, which covers every other file, so one signature
 * protects the whole package.
 */
public final class SignatureVerifier {

  private SignatureVerifier() {}

  /** Signs bytes with a private key, raw signature bytes as {@code openssl} writes them. */
  public static byte[] sign(byte[] message, PrivateKey key) {
    SignatureAlgorithm algorithm = SignatureAlgorithm.forKey(key);
    try {
      Signature signature = Signature.getInstance(algorithm.jcaName());
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new PackageException(Reason.KEY_INVALID, null, "cannot sign: " + e, e);
    }
  }

  /**
   * Applies the policy to a package's signature.
   *
   * <p>Threats: a package re-signed by someone else (untrusted key), altered after signing (the
   * signature no longer verifies), stripped of its signature under {@code required}, or labelled
   * with an algorithm other than the key's.
   *
   * @param checksums the exact bytes of {@code checksum.sha256}
   * @param signature the bytes of {@code signature.sig}, if present
   * @param signing what metadata.json says about the signer, if anything
   * @return the id of the trusted key that verified the signature, if one did
   */
  public static Optional<String> verify(
      byte[] checksums,
      Optional<byte[]> signature,
      Optional<Metadata.Signing> signing,
      SignaturePolicy policy,
      TrustStore trust) {
    if (policy == SignaturePolicy.OFF) {
      return Optional.empty();
    }
    if (signature.isEmpty()) {
      if (policy == SignaturePolicy.REQUIRED) {
        throw new PackageException(
            Reason.SIGNATURE_MISSING,
            PackageLayout.SIGNATURE,
            "package is not signed (no signature.sig) and the signature policy is [required]");
      }
      return Optional.empty();
    }
    byte[] sig = signature.get();
    if (signing.isPresent()) {
      return Optional.of(verifyNamedKey(checksums, sig, signing.get(), trust));
    }
    for (PublicKey key : trust.keys()) {
      if (verifies(checksums, sig, key, SignatureAlgorithm.forKey(key))) {
        return Optional.of(PemKeys.keyId(key));
      }
    }
    throw new PackageException(
        Reason.SIGNATURE_UNTRUSTED,
        PackageLayout.SIGNATURE,
        "signature.sig does not verify with any of the "
            + trust.size()
            + " trusted keys (metadata.json names no signing key)");
  }

  private static String verifyNamedKey(
      byte[] checksums, byte[] sig, Metadata.Signing signing, TrustStore trust) {
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.byName(signing.algorithm())
            .orElseThrow(
                () ->
                    new PackageException(
                        Reason.SIGNATURE_ALGORITHM_MISMATCH,
                        PackageLayout.METADATA,
                        "metadata.json names signing algorithm ["
                            + signing.algorithm()
                            + "]; supported are [SHA256withRSA, Ed25519]"));
    PublicKey key =
        trust
            .key(signing.keyId())
            .orElseThrow(
                () ->
                    new PackageException(
                        Reason.SIGNATURE_UNTRUSTED,
                        PackageLayout.SIGNATURE,
                        "package is signed by key ["
                            + signing.keyId()
                            + "], which is not in the trust store"));
    if (!algorithm.matches(key)) {
      throw new PackageException(
          Reason.SIGNATURE_ALGORITHM_MISMATCH,
          PackageLayout.METADATA,
          "metadata.json names algorithm ["
              + algorithm.jcaName()
              + "] but key ["
              + signing.keyId()
              + "] is an ["
              + key.getAlgorithm()
              + "] key");
    }
    if (!verifies(checksums, sig, key, algorithm)) {
      throw new PackageException(
          Reason.SIGNATURE_INVALID,
          PackageLayout.SIGNATURE,
          "signature.sig does not verify with key ["
              + signing.keyId()
              + "] ("
              + algorithm.jcaName()
              + ")");
    }
    return signing.keyId();
  }

  private static boolean verifies(
      byte[] message, byte[] sig, PublicKey key, SignatureAlgorithm algorithm) {
    try {
      Signature verifier = Signature.getInstance(algorithm.jcaName());
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
