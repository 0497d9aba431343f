package dev.cas.plugins.ldapauth;

import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginContext;

/** Authentication against an LDAP directory. */
public final class LdapAuthPlugin implements Plugin {

  @Override
  public void initialize(PluginContext context) {}
}
