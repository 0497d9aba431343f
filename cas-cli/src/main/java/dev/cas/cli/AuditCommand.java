package dev.cas.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code cas audit}: the host's audit trail, newest first. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {"The host's audit trail, newest first (admin)."})
final class AuditCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Option(names = "--plugin", paramLabel = "ID", description = "only entries about this plugin")
  String plugin;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "at most N entries (1-1000, default ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 1000) {
      throw new UsageException("--limit must be 1 to 1000, not [" + limit + "]");
    }
    String path =
        "/api/audit?limit="
            + limit
            + (plugin == null ? "" : "&plugin=" + PluginIds.checked(plugin));
    JsonNode entries = options.client().get(path).data();
    if (options.json) {
      options.printJson(entries);
      return Cas.OK;
    }
    Table t = new Table("AT", "ACTOR", "ACTION", "TARGET", "OUTCOME", "DETAIL");
    for (JsonNode e : entries) {
      t.row(
          e.path("at").asString(),
          e.path("actor").asString(""),
          e.path("action").asString(),
          e.path("target").asString(""),
          e.path("outcome").asString(),
          e.path("detail").asString(""));
    }
    t.print(options.out());
    return Cas.OK;
  }
}
