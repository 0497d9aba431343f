package dev.cas.plugins.ldapauth;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import dev.cas.plugins.ldapauth.LdapAuthException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The directory operations behind the plugin's endpoints and its login provider. Each operation
 * opens its own connection with the settings current at that moment and closes it afterwards.
 */
final class LdapDirectory {

  /** One page of search results; {@code truncated} when the size limit cut it short. */
  record SearchPage(List<DirectoryUser> users, boolean truncated) {
    SearchPage {
      users = List.copyOf(users);
    }
  }

  /** What a successful connection check established. */
  record ServerCheck(String serverUrl, String boundAs, String tls, String baseDn) {}

  private final Supplier<LdapSettings> settings;

  LdapDirectory(Supplier<LdapSettings> settings) {
    this.settings = settings;
  }

  /** Connects, binds as the service account and reads the base DN: each step fails by name. */
  ServerCheck check() {
    LdapSettings s = settings.get();
    try (LDAPConnection c = LdapConnector.openAsService(s)) {
      if (c.getEntry(s.baseDn(), "1.1") == null) {
        throw new LdapAuthException(
            Reason.DIRECTORY_ERROR,
            "baseDn [" + s.baseDn() + "] does not exist on LDAP server [" + s.serverUrl() + "]");
      }
      return new ServerCheck(
          s.serverUrl(),
          s.hasServiceAccount() ? s.bindDn() : "(anonymous)",
          s.ldaps() ? "ldaps" : s.startTls() ? "starttls" : "none",
          s.baseDn());
    } catch (LDAPException e) {
      throw LdapConnector.failure(e, s, "read baseDn [" + s.baseDn() + "]");
    }
  }

  /**
   * Finds the user's entry and binds as it with the password.
   *
   * @return the user when the password is right; empty for a wrong password, an unknown or
   *     ambiguous username, or a refused bind, which callers must not tell apart
   * @throws LdapAuthException when the directory cannot be used at all (unreachable, bad filter)
   */
  Optional<DirectoryUser> authenticate(String username, char[] password) {
    // Threat: an empty password makes a simple bind "unauthenticated", which many servers accept.
    if (username.isBlank() || password.length == 0) {
      return Optional.empty();
    }
    LdapSettings s = settings.get();
    try (LDAPConnection c = LdapConnector.openAsService(s)) {
      List<DirectoryUser> found = search(c, s, s.userFilter().forUsername(username), 2).users();
      if (found.size() != 1) {
        return Optional.empty();
      }
      DirectoryUser user = found.getFirst();
      return bindAs(c, s, user.dn(), password) ? Optional.of(user) : Optional.empty();
    }
  }

  /** Users whose username contains {@code text} (all users when it is empty), up to the limit. */
  SearchPage search(String text) {
    LdapSettings s = settings.get();
    try (LDAPConnection c = LdapConnector.openAsService(s)) {
      return search(c, s, s.userFilter().containing(text), s.sizeLimit());
    }
  }

  /** The user with exactly this username, when the directory has one. */
  Optional<DirectoryUser> find(String username) {
    LdapSettings s = settings.get();
    try (LDAPConnection c = LdapConnector.openAsService(s)) {
      List<DirectoryUser> found = search(c, s, s.userFilter().forUsername(username), 2).users();
      return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
    }
  }

  private static SearchPage search(
      LDAPConnection c, LdapSettings s, com.unboundid.ldap.sdk.Filter filter, int limit) {
    SearchRequest request =
        new SearchRequest(
            s.baseDn(),
            SearchScope.SUB,
            filter,
            s.usernameAttribute(),
            s.displayNameAttribute(),
            s.emailAttribute());
    request.setSizeLimit(limit);
    List<SearchResultEntry> entries;
    boolean truncated = false;
    try {
      entries = c.search(request).getSearchEntries();
    } catch (LDAPSearchException e) {
      if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
        throw LdapConnector.failure(e, s, "search under baseDn [" + s.baseDn() + "]");
      }
      entries = e.getSearchEntries();
      truncated = true;
    }
    List<DirectoryUser> users = new ArrayList<>();
    for (SearchResultEntry entry : entries) {
      String username = entry.getAttributeValue(s.usernameAttribute());
      if (username != null) {
        users.add(
            new DirectoryUser(
                entry.getDN(),
                username,
                entry.getAttributeValue(s.displayNameAttribute()),
                entry.getAttributeValue(s.emailAttribute())));
      }
    }
    return new SearchPage(users, truncated);
  }

  /** Binds as the user; the password's bytes are cleared as soon as the bind is done. */
  private static boolean bindAs(LDAPConnection c, LdapSettings s, String dn, char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = Arrays.copyOf(encoded.array(), encoded.limit());
    Arrays.fill(encoded.array(), (byte) 0);
    try {
      c.bind(new SimpleBindRequest(dn, bytes));
      return true;
    } catch (LDAPException e) {
      if (LdapConnector.isConnectionProblem(e.getResultCode())) {
        throw LdapConnector.failure(e, s, "bind as the user");
      }
      // Wrong password, locked or expired account: all one answer, so none can be probed.
      return false;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
