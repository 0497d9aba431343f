package dev.cas.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cas activate}, {@code cas deactivate} and {@code cas uninstall}. */
final class LifecycleCommands {

  private LifecycleCommands() {}

  /** {@code cas activate ID}. */
  @Command(
      name = "activate",
      mixinStandardHelpOptions = true,
      description = {"Activate a plugin (its configuration must be valid)."})
  static final class Activate implements Callable<Integer> {
    @Mixin HostOptions options;

    @Parameters(index = "0", paramLabel = "ID", description = "the plugin")
    String id;

    @Override
    public Integer call() {
      HostClient client = options.client();
      HostClient.Reply r = client.post("/api/plugins/" + PluginIds.checked(id) + "/activate", null);
      report(options, client, r);
      return Cas.OK;
    }
  }

  /** {@code cas deactivate ID [--force]}. */
  @Command(
      name = "deactivate",
      mixinStandardHelpOptions = true,
      description = {
        "Deactivate a plugin; --force deactivates the active plugins that depend on it too."
      })
  static final class Deactivate implements Callable<Integer> {
    @Mixin HostOptions options;

    @Parameters(index = "0", paramLabel = "ID", description = "the plugin")
    String id;

    @Option(names = "--force", description = "deactivate its dependents as well")
    boolean force;

    @Override
    public Integer call() {
      HostClient client = options.client();
      HostClient.Reply r =
          client.post(
              "/api/plugins/"
                  + PluginIds.checked(id)
                  + "/deactivate"
                  + (force ? "?force=true" : ""),
              null);
      report(options, client, r);
      return Cas.OK;
    }
  }

  /** {@code cas uninstall ID [--purge-data] [--yes]}. */
  @Command(
      name = "uninstall",
      mixinStandardHelpOptions = true,
      description = {
        "Uninstall a plugin. Its tables and configuration are kept (a later install finds them)"
            + " unless --purge-data; asks first unless --yes."
      })
  static final class Uninstall implements Callable<Integer> {
    @Mixin HostOptions options;

    @Parameters(index = "0", paramLabel = "ID", description = "the plugin")
    String id;

    @Option(names = "--purge-data", description = "delete its tables and configuration too")
    boolean purgeData;

    @Option(names = "--yes", description = "uninstall without asking")
    boolean yes;

    @Override
    public Integer call() {
      HostClient client = options.client();
      String path = "/api/plugins/" + PluginIds.checked(id);
      // Ask only about a plugin that is there: the question would be pointless otherwise.
      client.get(path + "/status");
      if (!yes
          && !Prompts.confirm(
              options.env(),
              options.err(),
              "Uninstall plugin ["
                  + id
                  + "] from host ["
                  + client.host()
                  + "]"
                  + (purgeData ? " and DELETE its data?" : " (its data is kept)?"))) {
        options
            .err()
            .println(
                "cas: uninstall of plugin ["
                    + id
                    + "] cancelled: not confirmed (--yes skips the question); nothing was changed");
        return Cas.REFUSED;
      }
      HostClient.Reply r = client.delete(path + (purgeData ? "?purgeData=true" : ""));
      report(options, client, r);
      return Cas.OK;
    }
  }

  private static void report(HostOptions options, HostClient client, HostClient.Reply r) {
    if (options.json) {
      options.printJson(r.data());
    } else {
      options.out().println(r.message() + " on host [" + client.host() + "]");
    }
  }
}
