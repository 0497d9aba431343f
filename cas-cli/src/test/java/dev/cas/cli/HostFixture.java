package dev.cas.cli;

import dev.cas.runtime.TestPlugins;
import dev.cas.testkit.TestHost;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real host (the test kit's, on the embedded PostgreSQL, on a random port) for a test class, and
 * the {@code cas} command run in-process against it with captured output, a standard input of the
 * test's choosing and a home folder of its own (so the credentials file is the test's).
 *
 * <pre>{@code
 * @RegisterExtension static final HostFixture HOST = new HostFixture();
 * HOST.cas("plugins")  // signed in as admin with CAS_HOST pointing at the host
 * }</pre>
 */
final class HostFixture implements BeforeAllCallback, AfterAllCallback {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private Path dir;
  private TestHost host;
  private TestPlugins plugins;
  private Path home;

  /** What one command did. */
  record Run(int exit, String out, String err) {
    JsonNode json() {
      return JSON.readTree(out);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("cas-cli-host");
    host = TestHost.start(dir.resolve("host"));
    plugins = new TestPlugins(dir.resolve("plugins"));
    home = Files.createDirectories(dir.resolve("home"));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    host.close();
  }

  TestHost host() {
    return host;
  }

  String url() {
    return host.baseUrl();
  }

  Path dir() {
    return dir;
  }

  /** This fixture's home folder (where {@code cas login} keeps the credentials). */
  Path home() {
    return home;
  }

  Path build(TestPlugins.Spec spec) {
    return plugins.buildZip(spec);
  }

  /** Signs in as admin through {@code cas login}, so the next commands carry its token. */
  void login() {
    Run r =
        run(Map.of(), TestHost.ADMIN_PASSWORD + "\n", "login", "--host", url(), "--password-stdin");
    if (r.exit() != 0) {
      throw new IllegalStateException("cas login failed: " + r);
    }
  }

  /** {@code cas ARGS} with CAS_HOST set to the host and nothing on standard input. */
  Run cas(String... args) {
    return run(Map.of("CAS_HOST", url()), "", args);
  }

  /** {@code cas ARGS} with CAS_HOST set and {@code stdin} on standard input. */
  Run casWithInput(String stdin, String... args) {
    return run(Map.of("CAS_HOST", url()), stdin, args);
  }

  /** {@code cas ARGS} with exactly these environment variables. */
  Run run(Map<String, String> vars, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnvironment env =
        new CliEnvironment(
            new HashMap<>(vars),
            home,
            dir,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            false);
    int exit = Cas.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Run(exit, out.toString(), err.toString());
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
