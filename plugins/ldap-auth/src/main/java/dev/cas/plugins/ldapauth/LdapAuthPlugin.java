package dev.cas.plugins.ldapauth;

import dev.cas.plugin.api.Auth;
import dev.cas.plugin.api.Database;
import dev.cas.plugin.api.HealthStatus;
import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginConfig;
import dev.cas.plugin.api.PluginContext;
import dev.cas.plugin.api.Users;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Authentication against an LDAP directory: endpoints to test the connection, check a password,
 * search and import users, and a login provider so directory users can sign in to the host.
 * Settings are read afresh for every operation, so a configuration change applies to the next
 * request without restarting the plugin.
 */
public final class LdapAuthPlugin implements Plugin {

  private volatile PluginConfig config;
  private final AtomicBoolean active = new AtomicBoolean();

  /** Creates the plugin; the host calls this. */
  public LdapAuthPlugin() {}

  @Override
  public void initialize(PluginContext context) {
    config = context.config();
    Auth auth = context.service(Auth.class);
    LdapDirectory directory = new LdapDirectory(() -> LdapSettings.from(config));
    UserLinks links =
        new UserLinks(context.service(Database.class), context.service(Users.class), auth);
    new LdapRoutes(directory, new UserImporter(directory, links)).register(context.routes());
    auth.registerProvider(new LdapLoginProvider(directory, links, active::get, context.logger()));
  }

  @Override
  public void activate() {
    active.set(true);
  }

  @Override
  public void deactivate() {
    active.set(false);
  }

  /**
   * Reports whether the configuration is usable, without contacting the directory (the host calls
   * this often; {@code POST /test} is the check that connects).
   */
  @Override
  public HealthStatus health() {
    try {
      LdapSettings s = LdapSettings.from(config);
      return new HealthStatus(true, "configured for " + s.serverUrl());
    } catch (LdapAuthException e) {
      return new HealthStatus(true, "not usable yet: " + e.getMessage());
    }
  }
}
