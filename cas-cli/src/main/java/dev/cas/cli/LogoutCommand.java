package dev.cas.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code cas logout}: revokes the stored token on its host and deletes the credentials file. The
 * file goes even when the host cannot be reached; then the message says the token is still valid.
 */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = {
      "Revoke the token of cas login on its host and delete ~/.config/cas/credentials."
    })
final class LogoutCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Override
  public Integer call() {
    CliEnvironment env = options.env();
    Optional<Credentials> stored;
    try {
      stored = Credentials.loadToRevoke(env);
    } catch (HostCallException e) {
      stored = Optional.empty(); // an unreadable file is deleted all the same
    }
    String revoked = stored.map(c -> revoke(env, c)).orElse("no token to revoke");
    boolean deleted = Credentials.delete(env);
    String host = stored.map(Credentials::host).orElse("unknown");
    if (options.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("loggedOut", deleted);
      m.put("host", stored.map(Credentials::host).orElse(null));
      m.put("token", revoked);
      m.put("credentials", Credentials.file(env).toString());
      options.printJson(m);
    } else if (deleted) {
      options
          .out()
          .println(
              "signed out of host ["
                  + host
                  + "]: "
                  + revoked
                  + "; deleted "
                  + Credentials.file(env));
    } else {
      options.out().println("not signed in: no " + Credentials.file(env));
    }
    return Cas.OK;
  }

  private String revoke(CliEnvironment env, Credentials c) {
    try {
      new HostClient(HostOptions.normalise(c.host()), Optional.of(c.token()), env)
          .delete("/api/auth/tokens/current");
      return "token revoked";
    } catch (HostCallException e) {
      if (e.reason() == HostCallException.Reason.CREDENTIALS) {
        return "token was no longer valid";
      }
      options.err().println("cas: warning: " + e.getMessage());
      return "token NOT revoked (it stays valid on the host)";
    } catch (UsageException e) {
      return "token NOT revoked (" + e.getMessage() + ")";
    }
  }
}
