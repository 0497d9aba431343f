package dev.cas.plugins.ldapauth;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldif.LDIFException;
import java.util.EnumSet;

/**
 * A real LDAP server for the tests: UnboundID's in-memory directory on a random port, with a
 * service account, a few people, and anonymous searches refused (so the bind DN really matters).
 */
final class TestDirectory implements AutoCloseable {

  static final String BASE_DN = "dc=example,dc=com";
  static final String PEOPLE_DN = "ou=people," + BASE_DN;
  static final String SERVICE_DN = "cn=cas-search,ou=services," + BASE_DN;
  static final String SERVICE_PASSWORD = "svc-Secret-8c1f27d4";

  private final InMemoryDirectoryServer server;

  private TestDirectory(InMemoryDirectoryServer server) {
    this.server = server;
  }

  static TestDirectory start() throws LDAPException, LDIFException {
    return start(0);
  }

  /** A directory on {@code port} (0: a free one). */
  static TestDirectory start(int port) throws LDAPException, LDIFException {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
    config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", port));
    config.setAuthenticationRequiredOperationTypes(
        EnumSet.of(OperationType.SEARCH, OperationType.COMPARE));
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.add("dn: " + BASE_DN, "objectClass: top", "objectClass: domain", "dc: example");
    server.add("dn: " + PEOPLE_DN, "objectClass: organizationalUnit", "ou: people");
    server.add("dn: ou=services," + BASE_DN, "objectClass: organizationalUnit", "ou: services");
    server.add(
        "dn: " + SERVICE_DN,
        "objectClass: person",
        "cn: cas-search",
        "sn: service",
        "userPassword: " + SERVICE_PASSWORD);
    person(server, "alice", "Alice Liddell", "alice@example.com", "alice-pw-1");
    person(server, "bob", "Bob Builder", "bob@example.com", "bob-pw-2");
    person(server, "carol", "Carol Danvers", "carol@example.com", "carol-pw-3");
    person(server, "dave", "Dave Bowman", "dave@example.com", "dave-pw-4");
    // Named like host accounts the tests create locally: must never log in as them.
    person(server, "admin", "Directory Admin", "admin@example.com", "ldap-admin-pw");
    person(server, "frank", "Frank Directory", "frank@example.com", "frank-pw-6");
    server.startListening();
    return new TestDirectory(server);
  }

  private static void person(
      InMemoryDirectoryServer server, String uid, String cn, String mail, String password)
      throws LDAPException, LDIFException {
    server.add(
        "dn: uid=" + uid + "," + PEOPLE_DN,
        "objectClass: inetOrgPerson",
        "uid: " + uid,
        "cn: " + cn,
        "sn: " + cn.substring(cn.indexOf(' ') + 1),
        "mail: " + mail,
        "userPassword: " + password);
  }

  /** Adds a person; for a second directory that only some tests need. */
  void addPerson(String uid, String cn, String password) throws LDAPException, LDIFException {
    person(server, uid, cn, uid + "@example.com", password);
  }

  /**
   * Adds a referral entry under ou=people pointing at another server: searches return it as a
   * reference that a client following referrals would chase there.
   */
  void addReferral(String uid, String targetUrl) throws LDAPException, LDIFException {
    String dn = "uid=" + uid + "," + PEOPLE_DN;
    server.add(
        "dn: " + dn,
        "objectClass: referral",
        "objectClass: extensibleObject",
        "uid: " + uid,
        "ref: " + targetUrl + "/" + dn);
  }

  String url() {
    return "ldap://localhost:" + server.getListenPort();
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
