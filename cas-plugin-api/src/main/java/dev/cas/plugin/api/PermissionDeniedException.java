package dev.cas.plugin.api;

/** A plugin used a service or operation its manifest did not declare the permission for. */
public final class PermissionDeniedException extends SecurityException {

  private static final long serialVersionUID = 1L;

  private final String pluginId;
  private final String permission;

  /**
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
   * @param reason the whole explanation, naming the plugin and what it tried
   */
  public PermissionDeniedException(
      String pluginId, String permission, String action, String reason) {
    super("plugin [" + pluginId + "] may not " + action + ": " + reason);
    this.pluginId = pluginId;
    this.permission = permission;
  }

  /** The plugin that was refused. */
  public String pluginId() {
    return pluginId;
  }

  /** The permission it lacked. */
  public String permission() {
    return permission;
  }
}
