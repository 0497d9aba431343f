package dev.cas.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cas export ID}: downloads a plugin as a package another host can import. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a plugin as a package (its code, docs and non-secret configuration; with"
          + " --include-data its rows, of all users or of --users). Written to --out, else to"
          + " the name the host gives in the current folder."
    })
final class ExportCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Parameters(index = "0", paramLabel = "ID", description = "the plugin")
  String id;

  @Option(names = "--include-data", description = "include the plugin's table rows")
  boolean includeData;

  @Option(
      names = "--users",
      paramLabel = "a,b",
      split = ",",
      description = "only these users' rows (with --include-data)")
  List<String> users = new ArrayList<>();

  @Option(names = "--out", paramLabel = "FILE", description = "where to write the package")
  Path out;

  @Override
  public Integer call() {
    if (!users.isEmpty() && !includeData) {
      throw new UsageException("--users selects rows: it needs --include-data");
    }
    Path target = out == null ? null : options.env().workingDir().resolve(out);
    if (target != null && Files.isDirectory(target)) {
      throw new UsageException("--out [" + out + "] is a folder: name the file");
    }
    if (target != null && !Files.isDirectory(target.toAbsolutePath().getParent())) {
      throw new UsageException(
          "--out ["
              + out
              + "]: folder ["
              + target.toAbsolutePath().getParent()
              + "] does not exist");
    }
    HostClient client = options.client();
    List<String> query = new ArrayList<>();
    if (includeData) {
      query.add("includeData=true");
    }
    if (!users.isEmpty()) {
      query.add("users=" + URLEncoder.encode(String.join(",", users), StandardCharsets.UTF_8));
    }
    Path file =
        client.download(
            "/api/plugins/"
                + PluginIds.checked(id)
                + "/export"
                + (query.isEmpty() ? "" : "?" + String.join("&", query)),
            Optional.ofNullable(target));
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (options.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("file", file.toString());
      m.put("bytes", size);
      m.put("includesData", includeData);
      options.printJson(m);
    } else {
      options
          .out()
          .println(
              "exported plugin ["
                  + id
                  + "] from host ["
                  + client.host()
                  + "] to "
                  + file
                  + " ("
                  + size
                  + " bytes"
                  + (includeData ? ", with data" : "")
                  + ")");
    }
    return Cas.OK;
  }
}
