package dev.cas.packaging;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The public keys whose signatures a reader accepts, by key id. */
public final class TrustStore {

  private final Map<String, PublicKey> keys;

  private TrustStore(Map<String, PublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  /** A store that trusts nobody. */
  public static TrustStore empty() {
    return new TrustStore(Map.of());
  }

  /** A store of the given keys. */
  public static TrustStore of(Collection<PublicKey> keys) {
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    keys.forEach(k -> byId.put(PemKeys.keyId(k), k));
    return new TrustStore(byId);
  }

  /** A store of the public keys in these PEM files. */
  public static TrustStore load(List<Path> pemFiles) {
    return of(pemFiles.stream().map(PemKeys::readPublic).toList());
  }

  /** The trusted key with this id ({@code sha256:<hex>}). */
  public Optional<PublicKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** All trusted keys. */
  public Collection<PublicKey> keys() {
    return keys.values();
  }

  /** How many keys are trusted. */
  public int size() {
    return keys.size();
  }
}
