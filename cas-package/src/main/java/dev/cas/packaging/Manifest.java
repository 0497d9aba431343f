package dev.cas.packaging;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin's {@code plugin.json}, as FORMAT.md defines it. Instances come from {@link
 * ManifestParser}, which validates the JSON against the format's JSON Schema first; absent optional
 * fields become empty values here, never null.
 */
public record Manifest(
    String id,
    String name,
    String version,
    String description,
    Optional<String> author,
    Optional<String> license,
    Optional<String> entry,
    Optional<String> main,
    DesiredStatus status,
    boolean isSystem,
    Optional<String> category,
    List<String> keywords,
    List<String> permissions,
    Compatibility compatibility,
    Map<String, String> endpoints,
    Database database,
    Map<String, ConfigField> configSchema,
    Optional<Sandbox> sandbox,
    Frontend frontend) {

  public Manifest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(description, "description");
    author = orEmpty(author);
    license = orEmpty(license);
    entry = orEmpty(entry);
    main = orEmpty(main);
    status = status == null ? DesiredStatus.ACTIVE : status;
    category = orEmpty(category);
    keywords = keywords == null ? List.of() : List.copyOf(keywords);
    permissions = permissions == null ? List.of() : List.copyOf(permissions);
    compatibility = compatibility == null ? new Compatibility(null, null, null) : compatibility;
    endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
    database = database == null ? new Database(null, null, null) : database;
    if (database.schema().isEmpty()) {
      database =
          new Database(Optional.of(defaultSchema(id)), database.tables(), database.migrations());
    }
    configSchema = configSchema == null ? Map.of() : Map.copyOf(configSchema);
    sandbox = orEmpty(sandbox);
    frontend = frontend == null ? new Frontend(null, null) : frontend;
  }

  /**
   * FORMAT.md's default schema name: {@code plugin_} and the id with {@code .} and {@code -} as
   * {@code _}.
   */
  public static String defaultSchema(String id) {
    return "plugin_" + id.replace('.', '_').replace('-', '_');
  }

  /** The package file name FORMAT.md gives this plugin: {@code <id>-v<version>.zip}. */
  public String packageFileName() {
    return id + "-v" + version + ".zip";
  }

  private static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }

  /** The state a plugin should be in after install. */
  public enum DesiredStatus {
    ACTIVE,
    INACTIVE;

    /**
     * Reads {@code active}/{@code inactive}, and the original system's {@code enabled}/{@code
     * disabled}.
     */
    @JsonCreator
    public static DesiredStatus parse(String text) {
      return switch (text.toLowerCase(Locale.ROOT)) {
        case "active", "enabled" -> ACTIVE;
        case "inactive", "disabled" -> INACTIVE;
        default -> throw new IllegalArgumentException("unknown status [" + text + "]");
      };
    }

    /** The manifest spelling. */
    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What the plugin needs of its host.
   *
   * @param casVersion npm-style range the host version must satisfy
   * @param javaVersion npm-style range the host's Java feature version must satisfy
   * @param dependencies {@code @cas/*} API ranges and other plugins' ids with version ranges
   */
  public record Compatibility(
      Optional<String> casVersion, Optional<String> javaVersion, Map<String, String> dependencies) {
    public Compatibility {
      casVersion = orEmpty(casVersion);
      javaVersion = orEmpty(javaVersion);
      dependencies = dependencies == null ? Map.of() : Map.copyOf(dependencies);
    }
  }

  /**
   * The plugin's tables.
   *
   * @param schema its schema, defaulted by {@link Manifest} when absent
   * @param tables the tables it owns
   * @param migrations ordered files in {@code backend/migrations}
   */
  public record Database(Optional<String> schema, List<String> tables, List<String> migrations) {
    public Database {
      schema = orEmpty(schema);
      tables = tables == null ? List.of() : List.copyOf(tables);
      migrations = migrations == null ? List.of() : List.copyOf(migrations);
    }
  }

  /** One configuration key's rules. */
  public record ConfigField(
      String type,
      boolean required,
      @JsonProperty("default") Optional<Object> defaultValue,
      Optional<String> description,
      @JsonProperty("enum") List<Object> allowed,
      Optional<Double> minimum,
      Optional<Double> maximum,
      Optional<String> pattern,
      boolean secret) {
    public ConfigField {
      Objects.requireNonNull(type, "type");
      defaultValue = orEmpty(defaultValue);
      description = orEmpty(description);
      allowed = allowed == null ? List.of() : List.copyOf(allowed);
      minimum = orEmpty(minimum);
      maximum = orEmpty(maximum);
      pattern = orEmpty(pattern);
    }
  }

  /** The limits the plugin asks for; the host's own maximum wins. */
  public record Sandbox(
      Optional<String> cpuLimit,
      Optional<String> memoryLimit,
      Optional<String> networkPolicy,
      List<String> allowedHosts,
      Optional<String> filesystemAccess) {
    public Sandbox {
      cpuLimit = orEmpty(cpuLimit);
      memoryLimit = orEmpty(memoryLimit);
      networkPolicy = orEmpty(networkPolicy);
      allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
      filesystemAccess = orEmpty(filesystemAccess);
    }
  }

  /**
   * The plugin's pages in the admin page: the web components its {@code frontend/dist/} defines and
   * the routes at which the host mounts them, each in a sandboxed frame (docs/FORMAT.md,
   * "Frontend"). The manifest's older form, plain strings, is read into these records by {@link
   * ManifestParser} with a warning.
   *
   * @param components the custom elements and the modules that define them
   * @param routes the pages, each showing one of the components
   */
  public record Frontend(List<Component> components, List<Route> routes) {
    public Frontend {
      components = components == null ? List.of() : List.copyOf(components);
      routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /** The component with this tag, if the manifest lists it. */
    public Optional<Component> component(String tag) {
      return components.stream().filter(c -> c.tag().equals(tag)).findFirst();
    }

    /** The route at this path, if the manifest lists it. */
    public Optional<Route> route(String path) {
      return routes.stream().filter(r -> r.path().equals(path)).findFirst();
    }
  }

  /**
   * One web component.
   *
   * @param tag its custom element name, e.g. {@code cas-text-block}
   * @param module the ES module that defines it, relative to {@code frontend/dist/}
   */
  public record Component(String tag, String module) {
    public Component {
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(module, "module");
    }
  }

  /**
   * One page of the plugin in the admin page.
   *
   * @param path where it is, below the plugin: {@code /text-blocks}
   * @param title its name in the navigation
   * @param component the tag of the component it shows
   * @param roles who sees it in the navigation (empty: every signed-in user); the plugin's API
   *     checks its callers itself
   */
  public record Route(String path, String title, String component, List<String> roles) {
    public Route {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(component, "component");
      roles = roles == null ? List.of() : List.copyOf(roles);
    }
  }
}
