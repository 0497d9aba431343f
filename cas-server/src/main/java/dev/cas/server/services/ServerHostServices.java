package dev.cas.server.services;

import dev.cas.packaging.Manifest;
import dev.cas.plugin.api.Auth;
import dev.cas.plugin.api.Database;
import dev.cas.plugin.api.KeyValueStore;
import dev.cas.plugin.api.Permission;
import dev.cas.plugin.api.PermissionDeniedException;
import dev.cas.plugin.api.UserInfo;
import dev.cas.plugin.api.Users;
import dev.cas.runtime.HostServices;
import dev.cas.server.database.PluginDatabases;
import dev.cas.server.database.PluginSql;
import dev.cas.server.database.Sql;
import dev.cas.server.registry.ConfigStore;
import dev.cas.server.security.UserStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The server's services for plugins: storage and configuration in PostgreSQL, database, users,
 * auth.
 */
public final class ServerHostServices implements HostServices {

  private final DataSource ds;
  private final ConfigStore config;
  private final PluginDatabases databases;
  private final UserStore users;
  private final List<Registered> providers = new CopyOnWriteArrayList<>();
  private volatile java.util.function.Predicate<String> active = id -> false;

  private record Registered(String pluginId, Auth.Provider provider) {}

  public ServerHostServices(
      DataSource ds, ConfigStore config, PluginDatabases databases, UserStore users) {
    this.ds = ds;
    this.config = config;
    this.databases = databases;
    this.users = users;
  }

  @Override
  public KeyValueStore storage(String pluginId) {
    return new KeyValueStore() {
      @Override
      public Optional<String> get(String key) {
        return Sql.one(
                ds,
                "SELECT value FROM cas.plugin_kv WHERE plugin_id = ? AND key = ?",
                pluginId,
                key)
            .map(r -> (String) r.get("value"));
      }

      @Override
      public List<String> keys(String prefix) {
        return Sql.query(
                ds,
                "SELECT key FROM cas.plugin_kv WHERE plugin_id = ? AND starts_with(key, ?) ORDER BY key",
                pluginId,
                prefix)
            .stream()
            .map(r -> (String) r.get("key"))
            .toList();
      }

      @Override
      public void put(String key, String value) {
        Sql.update(
            ds,
            "INSERT INTO cas.plugin_kv(plugin_id, key, value) VALUES (?,?,?)"
                + " ON CONFLICT (plugin_id, key) DO UPDATE SET value = EXCLUDED.value",
            pluginId,
            key,
            value);
      }

      @Override
      public boolean delete(String key) {
        return Sql.update(
                ds, "DELETE FROM cas.plugin_kv WHERE plugin_id = ? AND key = ?", pluginId, key)
            > 0;
      }
    };
  }

  @Override
  public Map<String, Object> configValues(String pluginId) {
    return config.values(pluginId);
  }

  @Override
  public <S> Optional<S> service(
      Manifest manifest, Class<S> type, Consumer<AutoCloseable> onUnload) {
    Set<Permission> granted = granted(manifest);
    Object service = null;
    if (type == Database.class) {
      service = new PluginSql(manifest.id(), databases.pool(manifest.id()), granted);
    } else if (type == Users.class) {
      require(manifest, granted, Permission.USERS_READ, "read users");
      service =
          new Users() {
            @Override
            public Optional<UserInfo> byUsername(String username) {
              return users.byUsername(username);
            }

            @Override
            public Optional<UserInfo> byId(String id) {
              return users.byId(id);
            }

            @Override
            public List<UserInfo> list() {
              return users.list();
            }
          };
    } else if (type == Auth.class) {
      require(manifest, granted, Permission.AUTH_PROVIDER, "act as an authentication provider");
      service =
          new Auth() {
            @Override
            public void registerProvider(Provider provider) {
              Registered r = new Registered(manifest.id(), provider);
              providers.add(r);
              onUnload.accept(() -> providers.remove(r));
            }

            @Override
            public UserInfo importUser(String username, String displayName, String email) {
              return users.upsertExternal(username, displayName, email, "plugin:" + manifest.id());
            }
          };
    }
    return Optional.ofNullable(type.isInstance(service) ? type.cast(service) : null);
  }

  /** Tells which plugins are active: only their providers are asked at login. */
  public void activeWhen(java.util.function.Predicate<String> isActive) {
    this.active = isActive;
  }

  /**
   * Asks the providers of active plugins in turn; the first that knows the user decides. A provider
   * vouches only for host users it manages ({@code source} {@code plugin:<its id>}): it can never
   * sign someone in as a local user such as {@code admin}.
   */
  public Optional<UserInfo> authenticateWithProviders(String username, char[] password) {
    for (Registered r : providers) {
      if (!active.test(r.pluginId)) {
        continue;
      }
      try {
        Optional<UserInfo> user = r.provider.authenticate(username, password);
        if (user.isPresent()) {
          String source = users.sourceOf(user.get().username()).orElse("");
          if (!source.equals("plugin:" + r.pluginId)) {
            System.getLogger(ServerHostServices.class.getName())
                .log(
                    System.Logger.Level.WARNING,
                    "auth provider of plugin ["
                        + r.pluginId
                        + "] vouched for user ["
                        + user.get().username()
                        + "], which it does not manage ("
                        + (source.isEmpty() ? "no such host user" : source)
                        + "); refused");
            continue;
          }
          return users.byUsername(user.get().username());
        }
      } catch (Exception e) {
        System.getLogger(ServerHostServices.class.getName())
            .log(
                System.Logger.Level.WARNING,
                "auth provider of plugin [" + r.pluginId + "] failed: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static Set<Permission> granted(Manifest manifest) {
    EnumSet<Permission> set = EnumSet.noneOf(Permission.class);
    manifest.permissions().forEach(p -> Permission.byId(p).ifPresent(set::add));
    return set;
  }

  private static void require(Manifest m, Set<Permission> granted, Permission p, String action) {
    if (!granted.contains(p)) {
      throw new PermissionDeniedException(m.id(), p.id(), action);
    }
  }
}
