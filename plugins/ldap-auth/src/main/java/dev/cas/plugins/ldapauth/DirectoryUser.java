package dev.cas.plugins.ldapauth;

import java.util.Objects;

/**
 * A user entry as the directory holds it.
 *
 * @param dn the entry's distinguished name, what a user bind authenticates as
 * @param username the value of the username attribute, as the directory spells it
 * @param displayName the display name attribute, or the username when the entry has none
 * @param email the e-mail attribute, or empty
 */
record DirectoryUser(String dn, String username, String displayName, String email) {

  DirectoryUser {
    Objects.requireNonNull(dn, "dn");
    Objects.requireNonNull(username, "username");
    displayName = displayName == null || displayName.isBlank() ? username : displayName;
    email = email == null ? "" : email;
  }
}
