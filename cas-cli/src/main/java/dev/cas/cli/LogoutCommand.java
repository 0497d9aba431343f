package dev.cas.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cas logout}: forgets the stored host and token. */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = {"Delete ~/.config/cas/credentials (the host and token of cas login)."})
final class LogoutCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Override
  public Integer call() {
    CliEnvironment env = options.env();
    String host;
    try {
      host = Credentials.load(env).map(Credentials::host).orElse(null);
    } catch (HostCallException e) {
      host = "unknown"; // a file others could read is deleted all the same
    }
    boolean deleted = Credentials.delete(env);
    if (options.json) {
      options.printJson(
          Map.of("loggedOut", deleted, "credentials", Credentials.file(env).toString()));
    } else if (deleted) {
      options.out().println("signed out of host [" + host + "]: deleted " + Credentials.file(env));
    } else {
      options.out().println("not signed in: no " + Credentials.file(env));
    }
    return Cas.OK;
  }
}
