package dev.cas.server.install;

import dev.cas.runtime.PluginRuntime;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.database.PluginMigrations;
import dev.cas.server.registry.ConfigStore;
import dev.cas.server.registry.PluginStore;
import dev.cas.server.security.AuditLog;
import javax.sql.DataSource;

/**
 * What install, upgrade and uninstall act on, handed to their pipelines by the host at start: the
 * registry, the plugin's configuration, database, migrations and files, the runtime, and the audit
 * trail. A parameter object for this package's pipelines, not a lookup of the host's parts.
 *
 * @param admin the host's own database (registry and journal tables)
 * @param store the plugin registry
 * @param configStore plugin configuration
 * @param databases plugins' roles, schemas and pools
 * @param migrations plugins' migrations
 * @param runtime the plugin runtime
 * @param loader loads stored packages into the runtime
 * @param folders the host's folders
 * @param audit the audit trail
 */
public record InstallParts(
    DataSource admin,
    PluginStore store,
    ConfigStore configStore,
    PluginDatabases databases,
    PluginMigrations migrations,
    PluginRuntime runtime,
    PluginLoader loader,
    HostFolders folders,
    AuditLog audit) {}
