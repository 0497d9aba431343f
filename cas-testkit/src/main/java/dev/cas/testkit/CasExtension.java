package dev.cas.testkit;

import dev.cas.packaging.Manifest;
import dev.cas.packaging.PackageReader;
import dev.cas.packaging.ReadOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension for a plugin's tests: a fresh host per test class (on a fresh database of the
 * one embedded PostgreSQL of the test JVM, on a random port) with the plugin under test installed
 * from the build output, and helpers injected into test and lifecycle methods:
 *
 * <ul>
 *   <li>{@link PluginClient}: HTTP calls signed in as {@code admin}, or as the user a {@link
 *       SignedIn} annotation names (created with its role on first use);
 *   <li>{@link PluginDatabase}: the plugin's schema;
 *   <li>{@link PluginConfig}: the plugin's configuration;
 *   <li>{@link TestHost}: the host itself.
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(CasExtension.class)
 * class NotesIT {
 *   @Test
 *   void listsNotes(@SignedIn(value = "ada", role = "user") PluginClient ada) {
 *     assertThat(ada.get("/notes").status()).isEqualTo(200);
 *   }
 * }
 * }</pre>
 *
 * <p>The package is, in this order: the one {@link #plugin(Path)} names, the system property {@code
 * cas.package} (or {@code plugin.zip}), else the one {@code <id>-v<version>.zip} in {@code
 * target/}, which cas-maven-plugin's package goal writes before the integration tests run.
 */
public class CasExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final Path configuredPackage;
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, PluginClient> clients = new LinkedHashMap<>();
  private Path dataDir;
  private String jdbcUrl;
  private TestHost host;
  private Manifest manifest;
  private Class<?> owner;

  /** The plugin of the build output; what {@code @ExtendWith(CasExtension.class)} uses. */
  public CasExtension() {
    this(null);
  }

  private CasExtension(Path pkg) {
    this.configuredPackage = pkg;
  }

  /**
   * For {@code @RegisterExtension}: the plugin of the build output.
   *
   * @return an extension installing {@code target/<id>-v<version>.zip}
   */
  public static CasExtension plugin() {
    return new CasExtension();
  }

  /**
   * For {@code @RegisterExtension}: the given package.
   *
   * @param pkg the package file to install
   * @return an extension installing that package
   */
  public static CasExtension plugin(Path pkg) {
    return new CasExtension(pkg);
  }

  /**
   * A host setting, e.g. {@code CAS_SIGNATURE_POLICY} (it is {@code off} unless set here).
   *
   * @param name a {@code CAS_*} variable name
   * @param value its value
   * @return this extension
   */
  public CasExtension withSetting(String name, String value) {
    env.put(name, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (host != null) {
      return; // a @Nested class shares its enclosing class's host
    }
    Path pkg = findPackage();
    try {
      dataDir = Files.createTempDirectory("cas-testkit-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    owner = context.getRequiredTestClass();
    manifest = readManifest(pkg, dataDir.resolve("read"));
    jdbcUrl = TestHost.freshEmbeddedDatabase();
    host = TestHost.start(dataDir.resolve("data"), jdbcUrl, env);
    try {
      host.install(pkg);
    } catch (RuntimeException e) {
      host.close();
      host = null;
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (host == null || context.getRequiredTestClass() != owner) {
      return; // a @Nested class ends before the class that started the host
    }
    host.close();
    host = null;
    clients.clear();
    deleteTree(dataDir);
  }

  /**
   * The host of the running test class.
   *
   * @return the host, started before all tests of the class
   */
  public TestHost host() {
    if (host == null) {
      throw new IllegalStateException(
          "no host yet: CasExtension starts it before all tests of the class; register it on a"
              + " static field with @RegisterExtension, or with @ExtendWith");
    }
    return host;
  }

  /**
   * The plugin's id, from its manifest.
   *
   * @return the id, e.g. {@code text-block}
   */
  public String pluginId() {
    host();
    return manifest.id();
  }

  /**
   * A client signed in as {@code admin}.
   *
   * @return the admin's client, the same one for the whole class
   */
  public PluginClient admin() {
    return clients.computeIfAbsent(
        "admin", u -> new PluginClient(host(), pluginId(), "admin", host().adminToken()));
  }

  /**
   * A client signed in as {@code username}, created with {@code role} on first use.
   *
   * @param username the user's name
   * @param role {@code admin}, {@code operator} or {@code user}
   * @return the user's client, the same one for the whole class
   */
  public PluginClient as(String username, String role) {
    if ("admin".equals(username)) {
      return admin();
    }
    return clients.computeIfAbsent(
        username, u -> new PluginClient(host(), pluginId(), u, host().createUser(u, role)));
  }

  /**
   * The plugin's schema on this class's database.
   *
   * @return direct SQL access to the plugin's schema, for assertions
   */
  public PluginDatabase database() {
    host();
    return new PluginDatabase(
        jdbcUrl,
        manifest
            .database()
            .schema()
            .orElseThrow(() -> new IllegalStateException("the plugin declares no database")));
  }

  /**
   * The plugin's configuration.
   *
   * @return the configuration, read and set through the host's API
   */
  public PluginConfig config() {
    return new PluginConfig(host(), pluginId());
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == PluginClient.class
        || type == PluginDatabase.class
        || type == PluginConfig.class
        || type == TestHost.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    if (type == PluginClient.class) {
      return p.findAnnotation(SignedIn.class)
          .map(s -> as(s.value(), s.role()))
          .orElseGet(this::admin);
    }
    if (type == PluginDatabase.class) {
      return database();
    }
    if (type == PluginConfig.class) {
      return config();
    }
    if (type == TestHost.class) {
      return host();
    }
    throw new ParameterResolutionException("CasExtension cannot supply a " + type.getName());
  }

  private Path findPackage() {
    if (configuredPackage != null) {
      return requireFile(configuredPackage, "CasExtension.plugin(...)");
    }
    for (String property : List.of("cas.package", "plugin.zip")) {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank()) {
        return requireFile(Path.of(value), "system property " + property);
      }
    }
    Path target = Path.of("target");
    List<Path> zips;
    try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
      zips =
          files
              .filter(f -> f.getFileName().toString().matches(".+-v[0-9].*\\.zip"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (zips.size() != 1) {
      throw new IllegalStateException(
          "found "
              + zips.size()
              + " packages (<id>-v<version>.zip) in ["
              + target.toAbsolutePath()
              + "]: run the tests with `mvn verify` (cas-maven-plugin's package goal writes the"
              + " package before the integration tests), or name it with -Dcas.package=FILE");
    }
    return zips.getFirst();
  }

  private static Path requireFile(Path p, String what) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(
          "the package [" + p + "] given by " + what + " does not exist");
    }
    return p;
  }

  private static Manifest readManifest(Path pkg, Path work) {
    try {
      return PackageReader.create(ReadOptions.defaults()).read(pkg, work).manifest();
    } finally {
      deleteTree(work);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temporary folder is not a test failure
    }
  }
}
