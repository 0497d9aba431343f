package dev.cas.server;

import dev.cas.packaging.SignaturePolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How a host runs. Sources, later ones winning: the profile's defaults, a properties file ({@code
 * --config FILE}, else {@code <data>/cas.properties} when present), {@code CAS_*} environment
 * variables, command-line options.
 *
 * @param port HTTP port; 0 picks a free one
 * @param dbUrl external PostgreSQL JDBC URL; empty for the embedded one
 * @param dbUser user for the external database
 * @param dbPassword its password (never logged)
 * @param dataDir where the embedded database, stored plugin files and keys live
 * @param profile dev, staging or prod
 * @param signaturePolicy what imports must show of their signatures
 * @param strict whether manifests are validated strictly
 * @param trustDir folder of trusted public keys ({@code *.pem})
 * @param adminPassword first-start password of {@code admin} (never logged)
 * @param secretKey base64 key for secrets at rest; empty to use {@code <data>/secret.key}
 * @param securityThreshold imports whose own code or files have a static-scan finding at this risk
 *     or above are refused (bundled libraries are reported, not counted: the runtime guards them)
 * @param lifecycleTimeout how long a plugin's lifecycle method may take
 * @param installOnStart packages to install at start when not installed yet
 * @param upgradeWatch the health gate after an upgrade: watch window and error rate
 * @param calls route deadline and per-plugin concurrency limit of plugin calls ({@code
 *     plugin.call.deadline.ms} / {@code CAS_PLUGIN_CALL_DEADLINE_MS}, default 30000; {@code
 *     plugin.call.max-concurrent} / {@code CAS_PLUGIN_CALL_MAX_CONCURRENT}, default 64)
 * @param monitoring metrics, the health monitor and alerts
 * @param sessions browser sessions' idle timeout and the sign-in rate limits
 * @param tls HTTPS on the host's port, when a key store is configured
 */
public record ServerConfig(
    int port,
    Optional<String> dbUrl,
    String dbUser,
    String dbPassword,
    Path dataDir,
    Profile profile,
    SignaturePolicy signaturePolicy,
    boolean strict,
    Path trustDir,
    String adminPassword,
    String secretKey,
    dev.cas.packaging.SecurityFinding.Risk securityThreshold,
    Duration lifecycleTimeout,
    List<Path> installOnStart,
    dev.cas.runtime.CallLimits calls,
    UpgradeWatch upgradeWatch,
    Monitoring monitoring,
    SessionSettings sessions,
    Optional<TlsSettings> tls) {

  /**
   * How long a new version is watched after an upgrade switched to it, and the share of failing
   * route calls that switches back ({@code upgrade.observe.seconds} / {@code
   * CAS_UPGRADE_OBSERVE_SECONDS}, default 3; {@code upgrade.max-error-rate} / {@code
   * CAS_UPGRADE_MAX_ERROR_RATE}, default 0.5, counted once 10 calls were made).
   */
  public record UpgradeWatch(Duration observe, double maxErrorRate) {}

  /** Deployment profiles and their defaults. */
  public enum Profile {
    /** Signatures checked when present, lenient manifests, verbose logs. */
    DEV,
    /** Signatures checked when present, strict manifests. */
    STAGING,
    /** Signatures required, strict manifests. */
    PROD;

    static Profile parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "profile [" + text + "] is not one of dev, staging, prod");
      }
    }
  }

  public ServerConfig {
    installOnStart = List.copyOf(installOnStart);
  }

  /** Secrets are left out, so the config can be logged. */
  @Override
  public String toString() {
    return "ServerConfig[port="
        + port
        + ", db="
        + dbUrl.map(u -> u.replaceAll("(?i)(password=)[^&]*", "$1***")).orElse("embedded")
        + ", dataDir="
        + dataDir
        + ", profile="
        + profile
        + ", signaturePolicy="
        + signaturePolicy
        + ", strict="
        + strict
        + ", trustDir="
        + trustDir
        + ", "
        + monitoring
        + tls.map(t -> ", " + t).orElse("")
        + "]";
  }

  /** A copy with another port. */
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        newPort,
        dbUrl,
        dbUser,
        dbPassword,
        dataDir,
        profile,
        signaturePolicy,
        strict,
        trustDir,
        adminPassword,
        secretKey,
        securityThreshold,
        lifecycleTimeout,
        installOnStart,
        calls,
        upgradeWatch,
        monitoring,
        sessions,
        tls);
  }

  /**
   * Builds the configuration from options ({@code --port}, {@code --db}, {@code --data}, {@code
   * --profile}, {@code --config}, {@code --install}) and the environment.
   */
  public static ServerConfig load(List<String> args, Map<String, String> env) {
    Properties cli = new Properties();
    List<Path> install = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("expected --option VALUE, got [" + a + "]");
      }
      String value = args.get(++i);
      switch (a) {
        case "--port" -> cli.setProperty("port", value);
        case "--db" -> cli.setProperty("db.url", value);
        case "--data" -> cli.setProperty("data", value);
        case "--profile" -> cli.setProperty("profile", value);
        case "--config" -> cli.setProperty("config", value);
        case "--install" -> install.add(Path.of(value));
        default ->
            throw new IllegalArgumentException(
                "unknown option ["
                    + a
                    + "]; options: --port N --db JDBC-URL --data DIR --profile dev|staging|prod"
                    + " --config FILE --install PACKAGE.zip");
      }
    }
    Path data = Path.of(first(cli.getProperty("data"), env.get("CAS_DATA"), "cas-data"));
    Properties file = loadFile(first(cli.getProperty("config"), env.get("CAS_CONFIG"), null), data);
    Profile profile = Profile.parse(pick("profile", "CAS_PROFILE", cli, env, file, "dev"));
    SignaturePolicy defaultPolicy =
        profile == Profile.PROD ? SignaturePolicy.REQUIRED : SignaturePolicy.IF_PRESENT;
    return new ServerConfig(
        Integer.parseInt(pick("port", "CAS_PORT", cli, env, file, "8080")),
        Optional.ofNullable(pick("db.url", "CAS_DB_URL", cli, env, file, null)),
        pick("db.user", "CAS_DB_USER", cli, env, file, "postgres"),
        secret("db.password", "CAS_DB_PASSWORD", cli, env, file),
        data,
        profile,
        SignaturePolicy.parse(
            pick("signature.policy", "CAS_SIGNATURE_POLICY", cli, env, file, defaultPolicy.name())),
        Boolean.parseBoolean(
            pick("strict", "CAS_STRICT", cli, env, file, String.valueOf(profile != Profile.DEV))),
        Path.of(
            pick("trust.dir", "CAS_TRUST_DIR", cli, env, file, data.resolve("trust").toString())),
        secret("admin.password", "CAS_ADMIN_PASSWORD", cli, env, file),
        secret("secret.key", "CAS_SECRET_KEY", cli, env, file),
        dev.cas.packaging.SecurityFinding.Risk.parse(
            pick(
                "security.threshold",
                "CAS_SECURITY_THRESHOLD",
                cli,
                env,
                file,
                profile == Profile.DEV ? "critical" : "high")),
        Duration.ofSeconds(
            Long.parseLong(
                pick(
                    "lifecycle.timeout.seconds",
                    "CAS_LIFECYCLE_TIMEOUT_SECONDS",
                    cli,
                    env,
                    file,
                    "30"))),
        install,
        dev.cas.runtime.CallLimits.defaults()
            .withRouteDeadline(
                Duration.ofMillis(
                    Long.parseLong(
                        pick(
                            "plugin.call.deadline.ms",
                            "CAS_PLUGIN_CALL_DEADLINE_MS",
                            cli,
                            env,
                            file,
                            "30000"))))
            .withMaxConcurrentCalls(
                Integer.parseInt(
                    pick(
                        "plugin.call.max-concurrent",
                        "CAS_PLUGIN_CALL_MAX_CONCURRENT",
                        cli,
                        env,
                        file,
                        "64"))),
        new UpgradeWatch(
            Duration.ofMillis(
                (long)
                    (1000
                        * Double.parseDouble(
                            pick(
                                "upgrade.observe.seconds",
                                "CAS_UPGRADE_OBSERVE_SECONDS",
                                cli,
                                env,
                                file,
                                "3")))),
            Double.parseDouble(
                pick(
                    "upgrade.max-error-rate",
                    "CAS_UPGRADE_MAX_ERROR_RATE",
                    cli,
                    env,
                    file,
                    "0.5"))),
        Monitoring.load(new Settings(cli, env, file)),
        SessionSettings.load(new Settings(cli, env, file)),
        TlsSettings.load(new Settings(cli, env, file)));
  }

  /** The sources of settings, later ones winning. */
  record Settings(Properties cli, Map<String, String> env, Properties file) {
    String get(String key, String envKey, String def) {
      return pick(key, envKey, cli, env, file, def);
    }

    String secret(String key, String envKey) {
      return ServerConfig.secret(key, envKey, cli, env, file);
    }

    double number(String key, String envKey, String def, double min) {
      String text = get(key, envKey, def).trim();
      double value;
      try {
        value = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            key + " [" + text + "] is not a number (" + envKey + ")");
      }
      if (!(value >= min) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(
            key + " [" + text + "] must be a number of at least " + min + " (" + envKey + ")");
      }
      return value;
    }

    Duration seconds(String key, String envKey, String def) {
      return Duration.ofMillis(Math.round(1000 * number(key, envKey, def, 0)));
    }
  }

  /**
   * A secret setting: from a file named by {@code <key>.file} / {@code <ENV>_FILE} when given (so
   * the secret need not sit in the process's environment or command line, which other processes of
   * the same user can read), else as any other setting.
   */
  private static String secret(
      String key, String envKey, Properties cli, Map<String, String> env, Properties file) {
    String path = pick(key + ".file", envKey + "_FILE", cli, env, file, null);
    if (path == null) {
      return pick(key, envKey, cli, env, file, "");
    }
    try {
      return Files.readString(Path.of(path)).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + key + " from file [" + path + "]: " + e.getMessage(), e);
    }
  }

  /** The secret settings a host should not find in its environment, for the start-up warning. */
  static final List<String> SECRET_VARIABLES =
      List.of(
          "CAS_ADMIN_PASSWORD",
          "CAS_DB_PASSWORD",
          "CAS_SECRET_KEY",
          "CAS_TLS_KEYSTORE_PASSWORD",
          "CAS_METRICS_TOKEN",
          "CAS_ALERTS_WEBHOOKS",
          "CAS_ALERTS_WEBHOOK_TOKEN");

  private static String pick(
      String key,
      String envKey,
      Properties cli,
      Map<String, String> env,
      Properties file,
      String def) {
    return first(
        cli.getProperty(key),
        env.get(envKey),
        file.getProperty(key) == null ? def : file.getProperty(key));
  }

  private static String first(String a, String b, String c) {
    return a != null ? a : b != null && !b.isEmpty() ? b : c;
  }

  private static Properties loadFile(String explicit, Path data) {
    Path file = explicit != null ? Path.of(explicit) : data.resolve("cas.properties");
    Properties p = new Properties();
    if (explicit != null && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file [" + file + "] does not exist");
    }
    if (Files.isRegularFile(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read [" + file + "]", e);
      }
    }
    return p;
  }
}
