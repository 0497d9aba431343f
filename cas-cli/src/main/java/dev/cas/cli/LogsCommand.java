package dev.cas.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code cas logs ID}: the plugin's recent log lines, or (with --follow) its lines as they come.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "A plugin's recent log lines (the host keeps the last 1000 per plugin), oldest first;"
          + " --follow prints new lines as they are logged until interrupted."
    })
final class LogsCommand implements Callable<Integer> {

  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  private static final Pattern SHORT = Pattern.compile("(\\d+)([smhd])");

  @Mixin HostOptions options;

  @Parameters(index = "0", paramLabel = "ID", description = "the plugin")
  String id;

  @Option(
      names = "--level",
      paramLabel = "LEVEL",
      description = "only lines at this level or above: TRACE, DEBUG, INFO, WARN, ERROR")
  String level;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "only lines this recent: 30s, 10m, 2h, 1d (or ISO-8601, PT10M)")
  String since;

  @Option(names = "--follow", description = "keep printing new lines as they are logged")
  boolean follow;

  @Override
  public Integer call() {
    StringBuilder query = new StringBuilder();
    if (level != null) {
      String l = level.toUpperCase(Locale.ROOT);
      if (!LEVELS.contains(l)) {
        throw new UsageException(
            "--level [" + level + "] is not one of TRACE, DEBUG, INFO, WARN, ERROR");
      }
      query.append("&level=").append(l);
    }
    if (since != null) {
      query.append("&since=").append(duration(since));
    }
    if (follow) {
      query.append("&follow=true");
    }
    HostClient client = options.client();
    String path =
        "/api/plugins/"
            + PluginIds.checked(id)
            + "/logs"
            + (query.isEmpty() ? "" : "?" + query.substring(1));
    if (follow) {
      return follow(client, path);
    }
    JsonNode page = client.get(path).data();
    if (options.json) {
      options.printJson(page);
      return Cas.OK;
    }
    page.path("lines").forEach(l -> print(options.out(), l));
    options.out().flush();
    long dropped = page.path("dropped").asLong();
    if (dropped > 0) {
      options
          .err()
          .println(
              "cas: note: host ["
                  + client.host()
                  + "] dropped "
                  + dropped
                  + " older lines of plugin ["
                  + id
                  + "] (it keeps the last "
                  + page.path("capacity").asInt()
                  + ")");
    }
    return Cas.OK;
  }

  private int follow(HostClient client, String path) {
    String[] event = {"message"};
    client.stream(
        path,
        line -> {
          if (line.startsWith("event: ")) {
            event[0] = line.substring(7);
          } else if (line.startsWith("data: ")) {
            JsonNode data = HostClient.JSON.readTree(line.substring(6));
            switch (event[0]) {
              case "line" -> {
                if (options.json) {
                  options.out().println(data.toString());
                } else {
                  print(options.out(), data);
                }
                options.out().flush();
              }
              case "dropped" -> {
                if (data.path("dropped").asLong() > 0) {
                  options
                      .err()
                      .println(
                          "cas: note: host ["
                              + client.host()
                              + "] dropped "
                              + data.path("dropped").asLong()
                              + " older lines of plugin ["
                              + id
                              + "]");
                }
              }
              case "lost" ->
                  options
                      .err()
                      .println(
                          "cas: warning: "
                              + data.path("lost").asLong()
                              + " lines of plugin ["
                              + id
                              + "] were lost (this client could not keep up)");
              default -> {}
            }
          } else if (line.isEmpty()) {
            event[0] = "message";
          }
        });
    throw new HostCallException(
        HostCallException.Reason.UNREACHABLE,
        null,
        "host [" + client.host() + "] closed the log stream of plugin [" + id + "]");
  }

  private static void print(PrintWriter out, JsonNode l) {
    out.println(
        l.path("at").asString()
            + " "
            + String.format(Locale.ROOT, "%-5s", l.path("level").asString())
            + " ["
            + l.path("thread").asString()
            + "] "
            + l.path("logger").asString()
            + " - "
            + l.path("message").asString());
  }

  /** {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}, or an ISO-8601 duration. */
  static Duration duration(String text) {
    Matcher m = SHORT.matcher(text.strip());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.parse(text.strip());
      if (!d.isNegative()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // the message below names the forms
    }
    throw new UsageException(
        "--since [" + text + "] is not a duration such as 30s, 10m, 2h, 1d or PT10M");
  }
}
