package dev.cas.plugins.ldapauth;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;

/**
 * The configured user search filter, such as {@code (&(objectClass=person)(uid={username}))}, and
 * the only place a user-typed value becomes part of an LDAP filter.
 */
final class UserFilter {

  static final String PLACEHOLDER = "{username}";

  private final String template;

  private UserFilter(String template) {
    this.template = template;
  }

  /**
   * Checks the template once, when the settings are read, so that a malformed filter is reported as
   * the configuration problem it is rather than as a failed login.
   */
  static UserFilter parse(String template) {
    if (!template.contains(PLACEHOLDER)) {
      throw new LdapAuthException(
          LdapAuthException.Reason.BAD_FILTER,
          "userFilter [" + template + "] does not contain " + PLACEHOLDER);
    }
    // The placeholder survives escaping, so the SDK's message quotes the template as configured.
    UserFilter filter = new UserFilter(template);
    filter.forUsername(PLACEHOLDER);
    return filter;
  }

  /**
   * The filter matching exactly one username. Threat: LDAP filter injection, where a username such
   * as {@code *)(uid=*} widens the search to other entries; {@link Filter#encodeValue} escapes
   * {@code * ( ) \ NUL} so the value can only ever be compared literally.
   */
  Filter forUsername(String username) {
    return create(template.replace(PLACEHOLDER, Filter.encodeValue(username)));
  }

  /**
   * The filter matching usernames that contain {@code text}, or every user when it is empty. The
   * text is escaped as in {@link #forUsername}; only the surrounding wildcards are ours.
   */
  Filter containing(String text) {
    String value = text.isEmpty() ? "*" : "*" + Filter.encodeValue(text) + "*";
    return create(template.replace(PLACEHOLDER, value));
  }

  private Filter create(String filter) {
    try {
      return Filter.create(filter);
    } catch (LDAPException e) {
      throw new LdapAuthException(
          LdapAuthException.Reason.BAD_FILTER,
          "userFilter [" + template + "] is not a valid LDAP filter: " + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return template;
  }
}
