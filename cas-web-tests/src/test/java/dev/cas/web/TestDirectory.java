package dev.cas.web;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldif.LDIFException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real LDAP server for ldap-auth's page: UnboundID's in-memory directory with a service account
 * and a few people, anonymous searches refused (so the bind DN really matters).
 *
 * <p>The host runs with the sandbox agent, and ldap-auth's manifest allows LDAP on ports 389 and
 * 636 only. So the directory listens on port 389, on a random loopback address of 127.0.0.0/8 (any
 * of them reaches this machine on Linux), so that two builds on one machine do not collide.
 */
final class TestDirectory implements AutoCloseable {

  static final String BASE_DN = "dc=example,dc=com";
  static final String PEOPLE_DN = "ou=people," + BASE_DN;
  static final String SERVICE_DN = "cn=cas-search,ou=services," + BASE_DN;
  static final String SERVICE_PASSWORD = "svc-Secret-5d2e90b1";

  private final InMemoryDirectoryServer server;
  private final String address;

  private TestDirectory(InMemoryDirectoryServer server, String address) {
    this.server = server;
    this.address = address;
  }

  static TestDirectory start() throws LDAPException, LDIFException {
    LDAPException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      String address =
          "127."
              + random.nextInt(1, 255)
              + "."
              + random.nextInt(0, 256)
              + "."
              + random.nextInt(2, 255);
      try {
        return start(address);
      } catch (LDAPException e) {
        last = e; // that address's port 389 is taken: try another
      }
    }
    throw last;
  }

  private static TestDirectory start(String address) throws LDAPException, LDIFException {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
    try {
      config.setListenerConfigs(
          InMemoryListenerConfig.createLDAPConfig(
              "ldap", InetAddress.getByName(address), 389, null));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an address: " + address, e);
    }
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
    person(server, "alice", "Alice Liddell", "alice@example.com");
    person(server, "albert", "Albert Camus", "albert@example.com");
    person(server, "bob", "Bob Builder", "bob@example.com");
    server.startListening();
    return new TestDirectory(server, address);
  }

  private static void person(InMemoryDirectoryServer server, String uid, String cn, String mail)
      throws LDAPException, LDIFException {
    server.add(
        "dn: uid=" + uid + "," + PEOPLE_DN,
        "objectClass: inetOrgPerson",
        "uid: " + uid,
        "cn: " + cn,
        "sn: " + cn.substring(cn.indexOf(' ') + 1),
        "mail: " + mail,
        "userPassword: " + uid + "-pw");
  }

  String url() {
    return "ldap://" + address + ":389";
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
