package dev.cas.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cas login}: signs in to a host and keeps the host and a new API token in {@code
 * ~/.config/cas/credentials} (mode 600). The password is asked on the terminal or read from
 * standard input; it is sent once and never stored.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Sign in to a host and keep the host and an API token in ~/.config/cas/credentials (mode"
          + " 600). The password is asked for on the terminal, or read from standard input with"
          + " --password-stdin; it is never stored."
    })
final class LoginCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "who signs in (default: admin)",
      defaultValue = "admin")
  String user;

  @Option(names = "--password-stdin", description = "read the password from standard input")
  boolean passwordStdin;

  @Override
  public Integer call() {
    CliEnvironment env = options.env();
    char[] password =
        passwordStdin ? fromStdin(env) : Prompts.password(env, "password for " + user + ": ");
    HostClient anonymous = options.anonymous();
    String loginToken;
    try {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("username", user);
      body.put("password", CharBuffer.wrap(password).toString());
      HostClient.Reply r = anonymous.post("/api/auth/login", body);
      loginToken = r.data().path("token").asString();
    } catch (HostCallException e) {
      if (e.reason() == HostCallException.Reason.CREDENTIALS) {
        throw new HostCallException(
            HostCallException.Reason.CREDENTIALS,
            e.code().orElse(null),
            "host ["
                + anonymous.host()
                + "] refused the sign-in of ["
                + user
                + "]: wrong username or password");
      }
      throw e;
    } finally {
      Arrays.fill(password, '\0');
    }
    // The sign-in's own token lasts 12 hours; the CLI keeps an API token of its own instead.
    HostClient signedIn = new HostClient(options.hostUri(), Optional.of(loginToken), env);
    HostClient.Reply created =
        signedIn.post("/api/auth/tokens", Map.of("name", "cas login on " + machine()));
    Credentials c =
        new Credentials(anonymous.host(), user, created.data().path("token").asString());
    c.save(env);
    // The sign-in token is not needed any more: it should not live on for 12 hours.
    signedIn.delete("/api/auth/tokens/current");
    if (options.json) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("host", c.host());
      out.put("user", user);
      out.put("credentials", Credentials.file(env).toString());
      options.printJson(out);
    } else {
      options
          .out()
          .println(
              "signed in to host ["
                  + c.host()
                  + "] as ["
                  + user
                  + "]; token kept in "
                  + Credentials.file(env));
    }
    return Cas.OK;
  }

  private static char[] fromStdin(CliEnvironment env) {
    String line = Prompts.readLine(env.stdin());
    if (line == null || line.isEmpty()) {
      throw new UsageException("--password-stdin: standard input is empty");
    }
    return line.toCharArray();
  }

  private static String machine() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "this machine";
    }
  }
}
