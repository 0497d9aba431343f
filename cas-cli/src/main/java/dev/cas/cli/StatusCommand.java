package dev.cas.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code cas status ID}: a plugin's state, health, sandbox denials and resource use. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {"Show a plugin's state, health, sandbox denials and what its calls used."})
final class StatusCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Parameters(index = "0", paramLabel = "ID", description = "the plugin")
  String id;

  @Override
  public Integer call() {
    JsonNode s = options.client().get("/api/plugins/" + PluginIds.checked(id) + "/status").data();
    if (options.json) {
      options.printJson(s);
      return Cas.OK;
    }
    PrintWriter o = options.out();
    o.println(
        s.path("id").asString()
            + " "
            + s.path("version").asString()
            + ": "
            + s.path("state").asString());
    if (s.hasNonNull("failure")) {
      o.println("  failure:  " + s.path("failure").asString());
    }
    o.println(
        "  health:   "
            + (s.path("healthy").asBoolean() ? "up" : "down")
            + (s.path("health").asString("").isEmpty()
                ? ""
                : " (" + s.path("health").asString() + ")"));
    o.println("  routes:   " + (s.path("routes").asBoolean() ? "yes" : "no"));
    JsonNode sandbox = s.path("sandbox");
    if (!sandbox.isMissingNode()) {
      o.println(
          "  sandbox:  "
              + (sandbox.path("enforced").asBoolean() ? "enforced" : "not enforced")
              + ", "
              + sandbox.path("denials").asLong()
              + " denials");
    }
    JsonNode u = s.path("usage");
    if (!u.isMissingNode()) {
      o.println(
          "  calls:    "
              + u.path("calls").asLong()
              + " ("
              + u.path("errors").asLong()
              + " errors, "
              + u.path("timeouts").asLong()
              + " timeouts, "
              + u.path("rejected").asLong()
              + " rejected), cpu "
              + u.path("cpuMillis").asLong()
              + " ms, allocated "
              + u.path("allocatedBytes").asLong()
              + " bytes");
    }
    return Cas.OK;
  }
}
