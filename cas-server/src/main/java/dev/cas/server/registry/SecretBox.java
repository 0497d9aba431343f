package dev.cas.server.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts configuration secrets at rest with AES-256-GCM. The key comes from {@code
 * CAS_SECRET_KEY} (base64 of 32 bytes) or from {@code <data>/secret.key}, created with mode 600 on
 * first start. A database dump alone does not reveal secrets.
 */
public final class SecretBox {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the secret key must be 32 bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  public static SecretBox load(Path dataDir, String fromEnv) {
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new SecretBox(Base64.getDecoder().decode(fromEnv.trim()));
    }
    Path file = dataDir.resolve("secret.key");
    try {
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
      }
      return new SecretBox(Base64.getDecoder().decode(Files.readString(file).trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create [" + file + "]", e);
    }
  }

  String encrypt(String plain) {
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return "v1:" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  String decrypt(String sealed) {
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring("v1:".length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
      return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "a stored secret cannot be decrypted with this host's key", e);
    }
  }
}
