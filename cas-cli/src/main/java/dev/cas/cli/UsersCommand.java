package dev.cas.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/** {@code cas users}: the host's users and their roles. */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = {"List the host's users and their roles (admin)."})
final class UsersCommand implements Callable<Integer> {

  @Mixin HostOptions options;

  @Override
  public Integer call() {
    JsonNode users = options.client().get("/api/users").data();
    if (options.json) {
      options.printJson(users);
      return Cas.OK;
    }
    Table t = new Table("USERNAME", "ROLES", "NAME", "EMAIL");
    for (JsonNode u : users) {
      List<String> roles = new ArrayList<>();
      u.path("roles").forEach(r -> roles.add(r.asString()));
      roles.sort(null);
      t.row(
          u.path("username").asString(),
          String.join(",", roles),
          u.path("displayName").asString(""),
          u.path("email").asString(""));
    }
    t.print(options.out());
    return Cas.OK;
  }
}
