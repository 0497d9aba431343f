package dev.cas.plugins.ldapauth;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import dev.cas.plugin.api.PluginConfig;

/**
 * The plugin's configuration, read and checked as a whole. The host has already validated types,
 * patterns and ranges against the manifest's configSchema; this adds what a schema cannot say.
 *
 * @param serverUrl {@code ldap://host:port} or {@code ldaps://host:port}
 * @param host the server's host name, the only host the plugin connects to
 * @param port the server's port
 * @param ldaps whether the connection is TLS from the first byte
 * @param startTls whether a plain connection is upgraded with StartTLS before any bind
 * @param baseDn where user searches start
 * @param bindDn the service account's DN; empty for anonymous searches
 * @param bindPassword the service account's password (a secret: never logged or returned)
 * @param userFilter the search filter with its {@code {username}} placeholder
 * @param usernameAttribute the attribute holding the login name, e.g. {@code uid}
 * @param displayNameAttribute e.g. {@code cn}
 * @param emailAttribute e.g. {@code mail}
 * @param timeoutMillis limit for connecting and for each operation
 * @param sizeLimit most entries one search returns
 */
record LdapSettings(
    String serverUrl,
    String host,
    int port,
    boolean ldaps,
    boolean startTls,
    String baseDn,
    String bindDn,
    String bindPassword,
    UserFilter userFilter,
    String usernameAttribute,
    String displayNameAttribute,
    String emailAttribute,
    int timeoutMillis,
    int sizeLimit) {

  /** Reads the settings; fails with a message naming the key when one is missing or unusable. */
  static LdapSettings from(PluginConfig config) {
    String url = required(config, "serverUrl");
    LDAPURL parsed = parseUrl(url);
    boolean ldaps = parsed.getScheme().equalsIgnoreCase("ldaps");
    boolean startTls = config.getBoolean("useStartTls").orElse(false);
    if (ldaps && startTls) {
      throw notConfigured(
          "useStartTls applies to ldap:// URLs only; [" + url + "] is TLS from the start already");
    }
    String bindDn = config.getString("bindDn").orElse("").strip();
    String bindPassword = config.getString("bindPassword").orElse("");
    if (!bindDn.isEmpty() && bindPassword.isEmpty()) {
      throw notConfigured(
          "bindPassword is not set for bindDn ["
              + bindDn
              + "]: it is a secret, never exported, so enter it again after importing this plugin"
              + " (PUT /api/plugins/ldap-auth/config)");
    }
    return new LdapSettings(
        url,
        parsed.getHost(),
        parsed.getPort(),
        ldaps,
        startTls,
        required(config, "baseDn"),
        bindDn,
        bindPassword,
        UserFilter.parse(config.getString("userFilter").orElse("(uid={username})")),
        config.getString("usernameAttribute").orElse("uid"),
        config.getString("displayNameAttribute").orElse("cn"),
        config.getString("emailAttribute").orElse("mail"),
        config.getLong("connectTimeoutMillis").orElse(5000L).intValue(),
        config.getLong("searchSizeLimit").orElse(500L).intValue());
  }

  /** Whether searches run as the service account rather than anonymously. */
  boolean hasServiceAccount() {
    return !bindDn.isEmpty();
  }

  /** Keeps the bind password out of logs and messages that print the settings. */
  @Override
  public String toString() {
    return "LdapSettings[" + serverUrl + ", baseDn=" + baseDn + ", bindDn=" + bindDn + "]";
  }

  private static LDAPURL parseUrl(String url) {
    try {
      LDAPURL parsed = new LDAPURL(url);
      if (!parsed.hostProvided()) {
        throw notConfigured("serverUrl [" + url + "] names no host");
      }
      return parsed;
    } catch (LDAPException e) {
      throw new LdapAuthException(
          LdapAuthException.Reason.NOT_CONFIGURED,
          "serverUrl [" + url + "] is not an LDAP URL: " + e.getMessage(),
          e);
    }
  }

  private static String required(PluginConfig config, String key) {
    return config
        .getString(key)
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .orElseThrow(
            () ->
                notConfigured(
                    key + " is not configured (PUT /api/plugins/ldap-auth/config to set it)"));
  }

  private static LdapAuthException notConfigured(String message) {
    return new LdapAuthException(LdapAuthException.Reason.NOT_CONFIGURED, message);
  }
}
