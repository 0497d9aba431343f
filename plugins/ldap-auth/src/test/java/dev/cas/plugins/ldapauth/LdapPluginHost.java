package dev.cas.plugins.ldapauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.file.Path;

/** A test host with the built ldap-auth package installed and pointed at a test directory. */
final class LdapPluginHost {

  static final String CONFIG = "/api/plugins/ldap-auth/config";

  private LdapPluginHost() {}

  /**
   * Starts a host (its log captured), installs the package under test, configures it and activates
   * it (a plugin whose required keys have no value installs inactive).
   */
  static TestHost start(Path dataDir, TestDirectory directory) {
    HostLog.capture();
    TestHost host = TestHost.start(dataDir);
    host.install(Path.of(System.getProperty("plugin.zip")));
    configure(host, goodConfig(directory));
    TestHost.Response r = host.post("/api/plugins/ldap-auth/activate", host.adminToken(), null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return host;
  }

  /** The configuration that works against {@code directory}. */
  static String goodConfig(TestDirectory directory) {
    return """
        {"serverUrl": "%s", "baseDn": "%s", "bindDn": "%s", "bindPassword": "%s",
         "userFilter": "(uid={username})", "useStartTls": false, "connectTimeoutMillis": 2000}
        """
        .formatted(
            directory.url(),
            TestDirectory.PEOPLE_DN,
            TestDirectory.SERVICE_DN,
            TestDirectory.SERVICE_PASSWORD);
  }

  /** Applies a configuration change as an admin would; it must be accepted. */
  static void configure(TestHost host, String json) {
    TestHost.Response r = host.put(CONFIG, host.adminToken(), json);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }
}
