package dev.cas.plugin.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * A permission a plugin declares in {@code plugin.json}'s {@code permissions} list. The host
 * refuses, at run time, anything a plugin does that needs a permission it did not declare.
 *
 * <p>The manifest spells permissions by {@link #id()}, for example {@code database.read}.
 */
public enum Permission {
  /** Read rows of the plugin's own tables. */
  DATABASE_READ("database.read"),
  /** Insert, update and delete rows of the plugin's own tables. */
  DATABASE_WRITE("database.write"),
  /** Read the plugin's key-value storage. */
  STORAGE_READ("storage.read"),
  /** Write the plugin's key-value storage. */
  STORAGE_WRITE("storage.write"),
  /** Publish events named {@code plugin:<id>:<action>}. */
  EVENTS_PUBLISH("events.publish"),
  /** Subscribe to events of the host and other plugins. */
  EVENTS_SUBSCRIBE("events.subscribe"),
  /** Register HTTP routes under {@code /api/plugins/<id>/}. */
  HTTP_ROUTES("http.routes"),
  /** Open network connections to the hosts the sandbox allows. */
  NETWORK_OUTBOUND("network.outbound"),
  /** Read the host's users. */
  USERS_READ("users.read"),
  /** Authenticate users on the host's behalf. */
  AUTH_PROVIDER("auth.provider"),
  /** Call services that other plugins export. */
  PLUGINS_CALL("plugins.call"),
  /**
   * Start threads of its own (platform, virtual, executors), as libraries such as LDAP or HTTP
   * clients do; they are named at unload if still running. Without it, plugin code runs tasks only
   * on the host's {@code PluginTasks} executors.
   */
  THREADS_CREATE("threads.create");

  private final String id;

  Permission(String id) {
    this.id = id;
  }

  /**
   * The name used in {@code plugin.json}.
   *
   * @return the name, for example {@code database.read}
   */
  public String id() {
    return id;
  }

  /**
   * Finds the permission a manifest names.
   *
   * @param id a name such as {@code storage.write}
   * @return the permission, or empty when the name is not one of this version's permissions
   */
  public static Optional<Permission> byId(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
  }
}
