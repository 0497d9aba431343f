package dev.cas.plugin.api;

import java.util.List;
import java.util.Optional;

/** The host's users, read-only. Needs {@code users.read}. */
public interface Users {

  Optional<UserInfo> byUsername(String username);

  Optional<UserInfo> byId(String id);

  List<UserInfo> list();
}
