package dev.cas.sandbox.checker;

import dev.cas.sandbox.checker.PluginPermissionDenied.Operation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the host registers each plugin's policy (when it creates the plugin's class loader) and
 * removes it (when it unloads the plugin). The runtime calls it reflectively, only when the agent
 * put it on the boot class path; without the agent nothing is registered and nothing is checked.
 *
 * <p>Threat: a plugin calling these public methods to give itself a wider policy, or to sanction
 * its own threads. Registering refuses a call with any plugin frame on the stack; sanctioning,
 * which the host's plugin executors do while a plugin submits a task, refuses a plugin caller.
 */
public final class PolicyRegistry {

  private PolicyRegistry() {}

  /**
   * Registers the policy of the plugin {@code loader} belongs to.
   *
   * @param networkPolicy {@code open}, {@code restrictive} or {@code none}; empty for the default
   * @param filesystemAccess {@code plugin-only} or {@code none}; empty for none
   * @param folder the plugin's folder (symlinks are resolved here)
   */
  public static void register(
      ClassLoader loader,
      String pluginId,
      List<String> permissions,
      String networkPolicy,
      List<String> allowedHosts,
      String filesystemAccess,
      Path folder) {
    requireHost("register a policy for plugin " + pluginId);
    Attribution.register(
        loader,
        PluginPolicy.fromManifest(
            pluginId,
            Set.copyOf(permissions),
            optional(networkPolicy),
            allowedHosts,
            optional(filesystemAccess),
            folder));
  }

  /** Forgets a plugin's loader: code of it that still runs gets no permission at all. */
  public static void unregister(ClassLoader loader) {
    requireHost("unregister " + loader);
    Attribution.unregister(loader);
  }

  /**
   * Lets {@code thread}, made by a host-owned factory for a plugin's executor, be started once even
   * though plugin code triggers the start (plugins may not start raw threads).
   */
  public static void sanctionThread(Thread thread) {
    PluginPolicy caller = Attribution.callerPolicy();
    if (caller != null) {
      throw new PluginPermissionDenied(
          caller.pluginId(),
          Operation.SANDBOX_ADMIN,
          PolicyRegistry.class.getName(),
          "only the host may sanction thread " + thread.getName());
    }
    Attribution.sanction(thread);
  }

  private static void requireHost(String action) {
    PluginPolicy untrusted = Attribution.anyUntrustedFramePolicy();
    if (untrusted != null) {
      throw new PluginPermissionDenied(
          untrusted.pluginId(),
          Operation.SANDBOX_ADMIN,
          PolicyRegistry.class.getName(),
          "only the host may " + action);
    }
  }

  private static Optional<String> optional(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
