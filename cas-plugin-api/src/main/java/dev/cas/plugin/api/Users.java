package dev.cas.plugin.api;

import java.util.List;
import java.util.Optional;

/** The host's users, read-only. Needs {@code users.read}. */
public interface Users {

  /**
   * Finds a user by login name.
   *
   * @param username the login name
   * @return the user, or empty when there is none of that name
   */
  Optional<UserInfo> byUsername(String username);

  /**
   * Finds a user by id.
   *
   * @param id the stable id, as in {@code user_id} columns
   * @return the user, or empty when there is none of that id
   */
  Optional<UserInfo> byId(String id);

  /**
   * Lists the host's users.
   *
   * @return every user
   */
  List<UserInfo> list();
}
