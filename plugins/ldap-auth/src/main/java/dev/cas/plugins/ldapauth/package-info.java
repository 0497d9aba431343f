/**
 * The ldap-auth plugin: {@link dev.cas.plugins.ldapauth.LdapAuthPlugin} wires the directory client
 * ({@code LdapDirectory}, {@code LdapConnector}, {@code UserFilter}), the HTTP endpoints ({@code
 * LdapRoutes}) and the host login provider ({@code LdapLoginProvider}) together. Only the plugin
 * class is public; the host needs nothing else.
 */
package dev.cas.plugins.ldapauth;
