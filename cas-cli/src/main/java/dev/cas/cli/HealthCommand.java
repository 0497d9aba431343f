package dev.cas.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code cas health [ID]}: whether the host, or one plugin, is up. */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Whether the host answers (no sign-in needed), or whether a plugin is healthy; exit code 1"
          + " when the plugin is not."
    })
final class HealthCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Parameters(index = "0", paramLabel = "ID", arity = "0..1", description = "a plugin")
  String id;

  @Override
  public Integer call() {
    if (id == null) {
      HostClient client = options.anonymous();
      JsonNode h = client.get("/api/health").data();
      if (options.json) {
        options.printJson(h);
      } else {
        options.out().println("host [" + client.host() + "] is " + h.path("status").asString());
      }
      return Cas.OK;
    }
    HostClient client = options.client();
    JsonNode s = client.get("/api/plugins/" + PluginIds.checked(id) + "/status").data();
    boolean up = s.path("healthy").asBoolean();
    if (options.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("state", s.path("state").asString());
      m.put("healthy", up);
      m.put("health", s.path("health").asString(""));
      options.printJson(m);
    } else {
      options
          .out()
          .println(
              "plugin ["
                  + id
                  + "] on host ["
                  + client.host()
                  + "] is "
                  + s.path("state").asString()
                  + " and "
                  + (up ? "healthy" : "not healthy")
                  + (s.path("health").asString("").isEmpty()
                      ? ""
                      : ": " + s.path("health").asString()));
    }
    return up ? Cas.OK : Cas.REFUSED;
  }
}
