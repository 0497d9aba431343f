package dev.cas.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/** {@code cas plugins}: the host's plugins, one a line. */
@Command(
    name = "plugins",
    mixinStandardHelpOptions = true,
    description = {"List the host's plugins: id, version, state and name."})
final class PluginsCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Override
  public Integer call() {
    JsonNode plugins = options.client().get("/api/plugins").data();
    if (options.json) {
      options.printJson(plugins);
      return Cas.OK;
    }
    if (plugins.isEmpty()) {
      options.out().println("no plugins on host [" + options.hostUri() + "]");
      return Cas.OK;
    }
    Table t = new Table("ID", "VERSION", "STATE", "NAME");
    for (JsonNode p : plugins) {
      String state = p.path("state").asString();
      if (!p.path("failure").isNull() && p.has("failure")) {
        state += " (" + p.path("failure").asString() + ")";
      }
      t.row(
          p.path("id").asString(), p.path("version").asString(), state, p.path("name").asString());
    }
    t.print(options.out());
    return Cas.OK;
  }
}
