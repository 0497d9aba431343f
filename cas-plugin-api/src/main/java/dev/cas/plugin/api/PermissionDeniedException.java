package dev.cas.plugin.api;

/** A plugin used a service or operation its manifest did not declare the permission for. */
public final class PermissionDeniedException extends SecurityException {

  private static final long serialVersionUID = 1L;

  /** The plugin that was refused. */
  private final String pluginId;

  /** The permission it lacked. */
  private final String permission;

  /**
   * A refusal because the plugin's manifest does not declare the permission.
   *
   * @param pluginId the plugin that was refused
   * @param permission the permission it would need, e.g. {@code storage.write}
   * @param action what it tried to do
   */
  public PermissionDeniedException(String pluginId, String permission, String action) {
    super(
        "plugin ["
            + pluginId
            + "] may not "
            + action
            + ": permission ["
            + permission
            + "] is not declared in its plugin.json");
    this.pluginId = pluginId;
    this.permission = permission;
  }

  /**
   * A refusal for another reason than a missing declaration, e.g. a call to a plugin that is not
   * among the caller's dependencies.
   *
   * @param pluginId the plugin that was refused
   * @param permission the permission the operation is about, e.g. {@code plugins.call}
   * @param action what it tried to do
   * @param reason the whole explanation, naming the plugin and what it tried
   */
  public PermissionDeniedException(
      String pluginId, String permission, String action, String reason) {
    super("plugin [" + pluginId + "] may not " + action + ": " + reason);
    this.pluginId = pluginId;
    this.permission = permission;
  }

  /**
   * The plugin that was refused.
   *
   * @return its id
   */
  public String pluginId() {
    return pluginId;
  }

  /**
   * The permission it lacked.
   *
   * @return its name, e.g. {@code storage.write}
   */
  public String permission() {
    return permission;
  }
}
