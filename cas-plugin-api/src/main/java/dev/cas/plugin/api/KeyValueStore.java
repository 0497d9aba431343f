package dev.cas.plugin.api;

import java.util.List;
import java.util.Optional;

/** A plugin's own string key-value storage, kept by the host and isolated per plugin. */
public interface KeyValueStore {

  /**
   * Reads a value. Needs {@code storage.read}.
   *
   * @param key the key
   * @return the value, or empty when the key is not set
   */
  Optional<String> get(String key);

  /**
   * Lists keys. Needs {@code storage.read}.
   *
   * @param prefix the start the keys share; empty for all keys
   * @return the keys starting with {@code prefix}, sorted
   */
  List<String> keys(String prefix);

  /**
   * Sets a value, replacing the one before. Needs {@code storage.write}.
   *
   * @param key the key
   * @param value the new value
   */
  void put(String key, String value);

  /**
   * Removes a key. Needs {@code storage.write}.
   *
   * @param key the key
   * @return whether the key existed
   */
  boolean delete(String key);
}
