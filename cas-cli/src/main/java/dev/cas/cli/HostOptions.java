package dev.cas.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every host command shares ({@code --host}, {@code --json}) and how a command finds
 * its host and token: {@code --host}, else {@code CAS_HOST}, else the host {@code cas login}
 * stored, else {@code http://localhost:8080}; the token from {@code CAS_TOKEN}, else the stored one
 * — but only when it was issued by that same host.
 */
final class HostOptions {

  static final String DEFAULT_HOST = "http://localhost:8080";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--host",
      paramLabel = "URL",
      description =
          "the host (default: $CAS_HOST, else the host of cas login, else " + DEFAULT_HOST + ")")
  String host;

  @Option(names = "--json", description = "print the host's answer as JSON, for scripts")
  boolean json;

  CliEnvironment env() {
    return ((Cas) mixee.root().userObject()).env();
  }

  PrintWriter out() {
    return mixee.commandLine().getOut();
  }

  PrintWriter err() {
    return mixee.commandLine().getErr();
  }

  /** The host's base URL, normalised (scheme added, trailing slash removed). */
  URI hostUri() {
    CliEnvironment env = env();
    String chosen =
        Optional.ofNullable(host)
            .or(() -> env.variable("CAS_HOST"))
            .or(() -> Credentials.load(env).map(Credentials::host))
            .orElse(DEFAULT_HOST);
    return normalise(chosen);
  }

  static URI normalise(String url) {
    String u = url.strip();
    if (!u.contains("://")) {
      u = "http://" + u;
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    try {
      URI uri = new URI(u);
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new UsageException(
            "host [" + url + "] is not an http:// or https:// URL with a host name");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException("host [" + url + "] is not a URL: " + e.getMessage());
    }
  }

  /** A client that signs its requests; refuses when there is no token for the host. */
  HostClient client() {
    URI uri = hostUri();
    CliEnvironment env = env();
    Optional<String> token =
        env.variable("CAS_TOKEN")
            .or(
                () ->
                    Credentials.load(env)
                        .filter(c -> normalise(c.host()).equals(uri))
                        .map(Credentials::token));
    if (token.isEmpty()) {
      throw new HostCallException(
          HostCallException.Reason.CREDENTIALS,
          null,
          "not signed in to host ["
              + uri
              + "]: run cas login --host "
              + uri
              + " (or set CAS_TOKEN)");
    }
    return new HostClient(uri, token, env);
  }

  /** A client without a token, for public routes (sign-in, the host's health). */
  HostClient anonymous() {
    return new HostClient(hostUri(), Optional.empty(), env());
  }

  void printJson(Object value) {
    Json.print(out(), value);
  }
}
