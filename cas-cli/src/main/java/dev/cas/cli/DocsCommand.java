package dev.cas.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code cas docs ID [DOC]}: a plugin's documentation pages, or one of them. */
@Command(
    name = "docs",
    mixinStandardHelpOptions = true,
    description = {
      "List a plugin's documentation pages, or print one: DOC is a page's number or its type"
          + " (readme, api, user_guide, installation, troubleshooting, changelog, examples)."
    })
final class DocsCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Parameters(index = "0", paramLabel = "ID", description = "the plugin")
  String id;

  @Parameters(
      index = "1",
      paramLabel = "DOC",
      arity = "0..1",
      description = "a page: number or type")
  String doc;

  @Override
  public Integer call() {
    HostClient client = options.client();
    String base = "/api/plugins/" + PluginIds.checked(id) + "/docs";
    JsonNode list = client.get(base).data();
    if (doc == null) {
      if (options.json) {
        options.printJson(list);
      } else if (list.isEmpty()) {
        options
            .out()
            .println("plugin [" + id + "] has no documentation on host [" + client.host() + "]");
      } else {
        Table t = new Table("DOC", "TYPE", "FORMAT", "TITLE");
        list.forEach(
            d ->
                t.row(
                    d.path("id").asLong(),
                    d.path("type").asString(),
                    d.path("format").asString(),
                    d.path("title").asString()));
        t.print(options.out());
      }
      return Cas.OK;
    }
    long docId =
        find(list)
            .orElseThrow(
                () ->
                    new HostCallException(
                        HostCallException.Reason.REFUSED,
                        "NOT_FOUND",
                        "plugin ["
                            + id
                            + "] has no doc ["
                            + doc
                            + "] (host ["
                            + client.host()
                            + "])"));
    JsonNode page = client.get(base + "/" + docId).data();
    if (options.json) {
      options.printJson(page);
    } else {
      options.out().println(page.path("content").asString());
    }
    return Cas.OK;
  }

  private Optional<Long> find(JsonNode list) {
    for (JsonNode d : list) {
      if (String.valueOf(d.path("id").asLong()).equals(doc)
          || d.path("type").asString().equals(doc)) {
        return Optional.of(d.path("id").asLong());
      }
    }
    return Optional.empty();
  }
}
