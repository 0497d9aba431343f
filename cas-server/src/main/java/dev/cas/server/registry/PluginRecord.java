package dev.cas.server.registry;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One installed plugin as the registry ({@code cas.plugins}) knows it: the single answer to "is it
 * installed". A plugin the runtime could not load is still installed; the runtime's view (state,
 * failure) is joined to this record, never substituted for it.
 *
 * @param id the plugin id
 * @param version the installed version
 * @param manifestJson plugin.json as installed, byte for byte
 * @param desired whether the host should run it
 * @param system a system plugin cannot be uninstalled through the API
 * @param schema its database schema
 * @param role its database role
 * @param signerKeyId the key that signed the package, when signed
 * @param installedAt when it was first installed
 * @param updatedAt when its registry entry last changed (install, upgrade, desired state)
 */
public record PluginRecord(
    String id,
    String version,
    String name,
    String manifestJson,
    Manifest.DesiredStatus desired,
    boolean system,
    String schema,
    String role,
    Optional<String> signerKeyId,
    Instant installedAt,
    Instant updatedAt) {

  public PluginRecord {
    Objects.requireNonNull(id);
    Objects.requireNonNull(version);
    Objects.requireNonNull(manifestJson);
    Objects.requireNonNull(desired);
    Objects.requireNonNull(signerKeyId);
  }

  /** The installed manifest, parsed leniently: it was validated when it was installed. */
  public Manifest manifest() {
    return ManifestParser.lenient().parse(manifestJson.getBytes(StandardCharsets.UTF_8)).manifest();
  }
}
