package dev.cas.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code cas install} and {@code cas upgrade}: send the package for a dry run ({@code POST
 * /api/plugins/import?dryRun=true}, which changes nothing), show the preview, ask, then import.
 */
final class ImportCommands {

  private ImportCommands() {}

  /** What both commands take. */
  static class ImportOptions {
    @Mixin HostOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "the package (.zip)")
    Path file;

    @Option(names = "--yes", description = "import without asking")
    boolean yes;

    @Option(names = "--dry-run", description = "show the preview only; nothing is changed")
    boolean dryRun;

    @Option(
        names = "--force",
        description = "let the host override what --force overrides (e.g. a downgrade)")
    boolean force;
  }

  /** {@code cas install FILE}. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = {
        "Install a package on the host: shows what the import would do (permissions, signer, scan"
            + " findings, migrations, dependencies) and asks first; --yes skips the question,"
            + " --dry-run shows the preview only."
      })
  static final class Install extends ImportOptions implements Callable<Integer> {
    @Override
    public Integer call() {
      return run(this, false);
    }
  }

  /** {@code cas upgrade FILE}. */
  @Command(
      name = "upgrade",
      mixinStandardHelpOptions = true,
      description = {
        "Upgrade an installed plugin to a package's version: the same preview as install, with"
            + " what changes from the installed version, and the same question."
      })
  static final class Upgrade extends ImportOptions implements Callable<Integer> {
    @Override
    public Integer call() {
      return run(this, true);
    }
  }

  static int run(ImportOptions o, boolean upgrade) {
    if (!Files.isRegularFile(o.file)) {
      throw new UsageException("package [" + o.file + "] is not a file");
    }
    HostClient client = o.options.client();
    String query = (upgrade ? "&upgrade=true" : "") + (o.force ? "&force=true" : "");
    JsonNode preview;
    try {
      preview = client.upload("/api/plugins/import?dryRun=true" + query, o.file).data();
    } catch (HostCallException e) {
      // The host's message speaks of the API's parameters; say which command does it.
      throw switch (e.code().orElse("")) {
        case "UPGRADE_REQUIRED" -> e.withHint("use cas upgrade " + o.file);
        case "VERSION_DOWNGRADE" -> e.withHint("--force downgrades");
        default -> e;
      };
    }
    String id = preview.path("plugin").path("id").asString();
    String version = preview.path("plugin").path("version").asString();
    String outcome = preview.path("outcome").asString();
    if (upgrade && outcome.equals("install")) {
      throw new HostCallException(
          HostCallException.Reason.REFUSED,
          "NOT_INSTALLED",
          "plugin [" + id + "] is not installed on host [" + client.host() + "]: cas install it");
    }
    if (o.dryRun && o.options.json) {
      o.options.printJson(preview);
      return Cas.OK;
    }
    PreviewText.print(o.options.out(), preview, client.host());
    if (o.dryRun) {
      o.options.out().println("dry run: nothing was changed");
      return Cas.OK;
    }
    String verb = upgrade ? "Upgrade" : "Install";
    if (!o.yes
        && !Prompts.confirm(
            o.options.env(),
            o.options.err(),
            verb + " plugin [" + id + "] " + version + " on host [" + client.host() + "]?")) {
      o.options
          .err()
          .println(
              "cas: "
                  + verb.toLowerCase(java.util.Locale.ROOT)
                  + " of plugin ["
                  + id
                  + "] cancelled: not confirmed (--yes skips the question); nothing was changed");
      return Cas.REFUSED;
    }
    HostClient.Reply r =
        client.upload("/api/plugins/import?" + query.replaceFirst("^&", ""), o.file);
    if (o.options.json) {
      o.options.printJson(r.data());
    } else {
      o.options.out().println(r.message() + " on host [" + client.host() + "]");
      r.data().path("warnings").forEach(w -> o.options.err().println("warning: " + w.asString()));
    }
    return Cas.OK;
  }
}
