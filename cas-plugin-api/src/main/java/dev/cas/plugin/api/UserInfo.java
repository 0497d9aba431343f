package dev.cas.plugin.api;

import java.util.Objects;
import java.util.Set;

/**
 * A user of the host, as plugins see one.
 *
 * @param id stable user id, the value of {@code user_id} columns
 * @param username login name
 * @param displayName name for people
 * @param email e-mail address, or empty
 * @param roles e.g. {@code admin}, {@code operator}, {@code user}
 */
public record UserInfo(
    String id, String username, String displayName, String email, Set<String> roles) {
  /** Requires id and username; a missing display name is the username, a missing e-mail empty. */
  public UserInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(username, "username");
    displayName = displayName == null ? username : displayName;
    email = email == null ? "" : email;
    roles = Set.copyOf(roles);
  }
}
