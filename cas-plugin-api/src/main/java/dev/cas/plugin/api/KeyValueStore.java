package dev.cas.plugin.api;

import java.util.List;
import java.util.Optional;

/** A plugin's own string key-value storage, kept by the host and isolated per plugin. */
public interface KeyValueStore {

  /** Needs {@code storage.read}. */
  Optional<String> get(String key);

  /** Keys starting with {@code prefix}, sorted. Needs {@code storage.read}. */
  List<String> keys(String prefix);

  /** Needs {@code storage.write}. */
  void put(String key, String value);

  /** Needs {@code storage.write}. @return whether the key existed */
  boolean delete(String key);
}
