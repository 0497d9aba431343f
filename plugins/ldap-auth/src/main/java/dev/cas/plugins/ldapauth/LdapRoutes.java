package dev.cas.plugins.ldapauth;

import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.HttpRoutes.Request;
import dev.cas.plugin.api.HttpRoutes.Response;
import dev.cas.plugin.api.UserInfo;
import dev.cas.plugins.ldapauth.LdapAuthException.Reason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The plugin's endpoints under {@code /api/plugins/ldap-auth/}. Each handler parses its request,
 * calls the directory, and answers in the host's envelope. All of them are for operators and
 * admins: they reveal directory contents or check passwords, which end users do through {@code POST
 * /api/auth/login} instead.
 */
final class LdapRoutes {

  private static final Set<String> STAFF = Set.of("operator", "admin");

  private final LdapDirectory directory;
  private final UserImporter importer;

  LdapRoutes(LdapDirectory directory, UserImporter importer) {
    this.directory = directory;
    this.importer = importer;
  }

  void register(HttpRoutes routes) {
    routes.register("POST", "/test", guarded(this::test));
    routes.register("POST", "/authenticate", guarded(this::authenticate));
    routes.register("GET", "/users", guarded(this::users));
    routes.register("POST", "/import", guarded(this::importUsers));
  }

  private Response test(Request request) {
    LdapDirectory.ServerCheck check = directory.check();
    return JsonReplies.ok(
        Map.of(
            "ok", true,
            "serverUrl", check.serverUrl(),
            "boundAs", check.boundAs(),
            "tls", check.tls(),
            "baseDn", check.baseDn()),
        "connected to " + check.serverUrl() + " and bound as " + check.boundAs());
  }

  private Response authenticate(Request request) {
    JsonNode body = JsonReplies.object(request);
    String username = JsonReplies.string(body, "username");
    char[] password = JsonReplies.string(body, "password").toCharArray();
    Optional<DirectoryUser> user = directory.authenticate(username, password);
    if (user.isEmpty()) {
      throw new LdapAuthException(Reason.INVALID_CREDENTIALS, "wrong username or password");
    }
    return JsonReplies.ok(
        Map.of("authenticated", true, "user", view(user.get(), true)),
        "authenticated [" + user.get().username() + "]");
  }

  private Response users(Request request) {
    LdapDirectory.SearchPage page = directory.search(request.queryParam("query").orElse(""));
    return JsonReplies.ok(
        Map.of(
            "users", page.users().stream().map(u -> view(u, false)).toList(),
            "truncated", page.truncated()),
        page.users().size()
            + " user(s)"
            + (page.truncated() ? ", truncated at the size limit" : ""));
  }

  private Response importUsers(Request request) {
    JsonNode body = JsonReplies.object(request);
    List<String> usernames = JsonReplies.strings(body, "usernames");
    boolean all = JsonReplies.flag(body, "all");
    if (all == !usernames.isEmpty()) {
      throw JsonReplies.badRequest(
          "send either {\"usernames\": [\"...\"]} or {\"all\": true}, not both and not neither");
    }
    UserImporter.Outcome outcome =
        all ? importer.importEveryone() : importer.importNamed(usernames);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("imported", outcome.imported().stream().map(u -> view(u, false)).toList());
    data.put("notFound", outcome.notFound());
    data.put("refused", outcome.refused());
    return JsonReplies.ok(
        data,
        "imported "
            + outcome.imported().size()
            + ", not found "
            + outcome.notFound().size()
            + ", refused "
            + outcome.refused().size()
            + (outcome.refused().isEmpty()
                ? ""
                : " (a host account of that name exists that ldap-auth did not create)"));
  }

  private static Map<String, Object> view(DirectoryUser user, boolean withDn) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (withDn) {
      out.put("dn", user.dn());
    }
    out.put("username", user.username());
    out.put("displayName", user.displayName());
    out.put("email", user.email());
    return out;
  }

  /** Checks the caller's role, then runs the handler, turning its failures into answers. */
  private static HttpRoutes.Handler guarded(HttpRoutes.Handler handler) {
    return request -> {
      try {
        requireStaff(request);
        return handler.handle(request);
      } catch (LdapAuthException e) {
        return JsonReplies.error(e);
      }
    };
  }

  private static void requireStaff(Request request) {
    Optional<UserInfo> user = request.user();
    if (user.isEmpty() || user.get().roles().stream().noneMatch(STAFF::contains)) {
      throw new LdapAuthException(
          Reason.FORBIDDEN,
          "user ["
              + user.map(UserInfo::username).orElse("(anonymous)")
              + "] lacks role [operator] for "
              + request.method()
              + " /api/plugins/ldap-auth"
              + request.path());
    }
  }
}
