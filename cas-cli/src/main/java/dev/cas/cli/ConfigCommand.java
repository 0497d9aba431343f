package dev.cas.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/**
 * {@code cas config ID} shows a plugin's configuration with secrets masked (the host never sends
 * them); {@code cas config ID set KEY=VALUE…} changes it, secrets read from standard input.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Show a plugin's configuration; secrets are masked (the host never returns them).",
      "cas config ID set KEY=VALUE... [--secret KEY]... changes it."
    },
    subcommands = ConfigCommand.SetValues.class)
final class ConfigCommand implements Callable<Integer> {

  static final String MASK = "********";

  @Mixin HostOptions options;

  @Parameters(index = "0", paramLabel = "ID", description = "the plugin")
  String id;

  @Override
  public Integer call() {
    HostClient client = options.client();
    show(options, client.get(path()).data());
    return Cas.OK;
  }

  String path() {
    return "/api/plugins/" + PluginIds.checked(id) + "/config";
  }

  void show(HostOptions o, JsonNode config) {
    if (o.json) {
      o.printJson(config);
      return;
    }
    JsonNode values = config.path("values");
    Set<String> secretsSet = new LinkedHashSet<>();
    config.path("secretsSet").forEach(s -> secretsSet.add(s.asString()));
    Set<String> keys = new TreeSet<>();
    config.path("schema").properties().forEach(e -> keys.add(e.getKey()));
    values.properties().forEach(e -> keys.add(e.getKey()));
    if (keys.isEmpty()) {
      o.out().println("plugin [" + id + "] has no configuration");
      return;
    }
    Table t = new Table("KEY", "VALUE");
    for (String k : keys) {
      if (isSecret(config, k)) {
        t.row(k, secretsSet.contains(k) ? MASK + " (secret, set)" : "(secret, not set)");
      } else {
        JsonNode v = values.path(k);
        t.row(k, v.isMissingNode() ? "(not set)" : v.isString() ? v.asString() : v.toString());
      }
    }
    t.print(o.out());
  }

  static boolean isSecret(JsonNode config, String key) {
    return config.path("schema").path(key).path("secret").asBoolean(false);
  }

  /** {@code cas config ID set KEY=VALUE… [--secret KEY]…}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Change configuration values; the host validates them against the plugin's schema."
            + " Numbers, booleans, arrays and objects are read as JSON when the schema says so."
            + " Secrets are never given on the command line: --secret KEY reads the value from"
            + " standard input (one line each, in order)."
      })
  static final class SetValues implements Callable<Integer> {

    @ParentCommand ConfigCommand parent;

    @Mixin HostOptions options;

    @Parameters(paramLabel = "KEY=VALUE", description = "values to set", arity = "0..*")
    List<String> assignments = new ArrayList<>();

    @Option(
        names = "--secret",
        paramLabel = "KEY",
        description = "a secret to set, read from standard input")
    List<String> secrets = new ArrayList<>();

    @Override
    public Integer call() {
      if (assignments.isEmpty() && secrets.isEmpty()) {
        throw new UsageException("config set: give KEY=VALUE or --secret KEY");
      }
      // Options given before "set" (cas config --host X ID set ...) count too.
      options.host = options.host != null ? options.host : parent.options.host;
      options.json = options.json || parent.options.json;
      HostClient client = options.client();
      JsonNode current = client.get(parent.path()).data();
      Map<String, Object> changes = new LinkedHashMap<>();
      for (String a : assignments) {
        int eq = a.indexOf('=');
        if (eq <= 0) {
          throw new UsageException("[" + a + "] is not KEY=VALUE");
        }
        String key = a.substring(0, eq);
        // Threat: a secret on the command line is seen by ps, kept in shell history and logs.
        if (isSecret(current, key)) {
          throw new UsageException(
              "["
                  + key
                  + "] of plugin ["
                  + parent.id
                  + "] is a secret: give it with --secret "
                  + key
                  + " (read from standard input), not on the command line");
        }
        changes.put(
            key, ConfigValues.parse(current.path("schema").path(key), key, a.substring(eq + 1)));
      }
      for (String key : secrets) {
        String value = Prompts.readLine(options.env().stdin());
        if (value == null || value.isEmpty()) {
          throw new UsageException("--secret " + key + ": no line for it on standard input");
        }
        changes.put(key, value);
      }
      JsonNode updated = client.put(parent.path(), changes).data();
      if (options.json) {
        options.printJson(updated);
      } else {
        options
            .out()
            .println(
                "configuration of plugin ["
                    + parent.id
                    + "] on host ["
                    + client.host()
                    + "] updated: "
                    + String.join(", ", changes.keySet()));
        parent.show(options, updated);
      }
      return Cas.OK;
    }
  }
}
