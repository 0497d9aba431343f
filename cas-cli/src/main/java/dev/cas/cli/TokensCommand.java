package dev.cas.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cas tokens create NAME}: an API token for scripts ({@code CAS_TOKEN}). */
@Command(
    name = "tokens",
    mixinStandardHelpOptions = true,
    description = {"API tokens of the signed-in user."},
    subcommands = TokensCommand.Create.class)
final class TokensCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "tokens: name a subcommand (create)");
  }

  /** {@code cas tokens create NAME}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an API token for the signed-in user and print it (it is shown once; the host"
            + " keeps only its hash). Scripts pass it in CAS_TOKEN."
      })
  static final class Create implements Callable<Integer> {

    @Mixin HostOptions options;

    @Parameters(index = "0", paramLabel = "NAME", description = "what the token is for")
    String name;

    @Override
    public Integer call() {
      HostClient client = options.client();
      HostClient.Reply r = client.post("/api/auth/tokens", Map.of("name", name));
      if (options.json) {
        options.printJson(r.data());
      } else {
        options.out().println(r.data().path("token").asString());
        options
            .err()
            .println(
                "token ["
                    + name
                    + "] created on host ["
                    + client.host()
                    + "]: keep it, it is shown once");
      }
      return Cas.OK;
    }
  }
}
