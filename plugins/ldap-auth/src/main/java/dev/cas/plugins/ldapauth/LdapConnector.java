package dev.cas.plugins.ldapauth;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import dev.cas.plugins.ldapauth.LdapAuthException.Reason;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Opens connections to the configured directory, and turns the SDK's failures into {@link
 * LdapAuthException}s whose messages name the server and the problem in a sentence.
 */
final class LdapConnector {

  private LdapConnector() {}

  /** A connection bound as the service account, or anonymous when no bind DN is configured. */
  static LDAPConnection openAsService(LdapSettings s) {
    LDAPConnection connection = open(s);
    if (!s.hasServiceAccount()) {
      return connection;
    }
    try {
      connection.bind(s.bindDn(), s.bindPassword());
      return connection;
    } catch (LDAPException e) {
      connection.close();
      if (isConnectionProblem(e.getResultCode())) {
        throw failure(e, s, "bind as [" + s.bindDn() + "]");
      }
      String why =
          e.getResultCode() == ResultCode.INVALID_CREDENTIALS
              ? "invalid credentials (check bindDn and bindPassword)"
              : describe(e);
      throw new LdapAuthException(
          Reason.SERVICE_BIND_FAILED,
          "LDAP server [" + s.serverUrl() + "] rejected bind DN [" + s.bindDn() + "]: " + why,
          e);
    }
  }

  /** A connection, TLS as configured, not yet bound. */
  static LDAPConnection open(LdapSettings s) {
    LDAPConnection connection;
    try {
      SocketFactory sockets = s.ldaps() ? tls(s).getSocketFactory() : SocketFactory.getDefault();
      connection = new LDAPConnection(sockets, options(s), s.host(), s.port());
    } catch (LDAPException e) {
      throw failure(e, s, "connect");
    }
    if (s.startTls()) {
      startTls(connection, s);
    }
    return connection;
  }

  /**
   * Threats: a referral that sends the client, and the user's password with its next bind, to a
   * host the operator never configured (referrals are not followed: outbound traffic goes to
   * serverUrl only); an empty password turning a bind into an anonymous one that succeeds (the SDK
   * refuses a DN without password); a certificate valid for another name (host names are checked).
   */
  private static LDAPConnectionOptions options(LdapSettings s) {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis(s.timeoutMillis());
    options.setResponseTimeoutMillis(s.timeoutMillis());
    options.setFollowReferrals(false);
    options.setBindWithDNRequiresPassword(true);
    options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    return options;
  }

  private static void startTls(LDAPConnection connection, LdapSettings s) {
    try {
      ExtendedResult result =
          connection.processExtendedOperation(new StartTLSExtendedRequest(tls(s)));
      if (result.getResultCode() != ResultCode.SUCCESS) {
        throw new LDAPException(result);
      }
    } catch (LDAPException e) {
      connection.close();
      throw new LdapAuthException(
          Reason.TLS_FAILED,
          "StartTLS with LDAP server [" + s.serverUrl() + "] failed: " + describe(e),
          e);
    }
  }

  /** TLS trusting the JVM's certificate authorities, as for any other outbound TLS. */
  private static SSLContext tls(LdapSettings s) {
    try {
      return new SSLUtil(JVMDefaultTrustManager.getInstance()).createSSLContext();
    } catch (GeneralSecurityException e) {
      throw new LdapAuthException(
          Reason.TLS_FAILED, "cannot set up TLS for [" + s.serverUrl() + "]: " + e.getMessage(), e);
    }
  }

  /** The failure of {@code action} against the configured server, as a sentence. */
  static LdapAuthException failure(LDAPException e, LdapSettings s, String action) {
    ResultCode code = e.getResultCode();
    String server = "LDAP server [" + s.serverUrl() + "]";
    if (code == ResultCode.TIMEOUT || hasCause(e, SocketTimeoutException.class)) {
      return new LdapAuthException(
          Reason.UNREACHABLE,
          server + " did not answer within " + s.timeoutMillis() + " ms (" + action + ")",
          e);
    }
    if (hasCause(e, SSLException.class)) {
      return new LdapAuthException(
          Reason.TLS_FAILED, "TLS with " + server + " failed: " + rootMessage(e), e);
    }
    if (hasCause(e, SecurityException.class)) {
      // The host's sandbox refused the connection: its message names the rule (allowedHosts).
      return new LdapAuthException(
          Reason.UNREACHABLE, "cannot reach " + server + ": " + rootMessage(e), e);
    }
    if (hasCause(e, ConnectException.class)) {
      return new LdapAuthException(
          Reason.UNREACHABLE, "cannot reach " + server + ": connection refused", e);
    }
    if (hasCause(e, UnknownHostException.class)) {
      return new LdapAuthException(
          Reason.UNREACHABLE, "cannot reach " + server + ": unknown host [" + s.host() + "]", e);
    }
    if (isConnectionProblem(code)) {
      return new LdapAuthException(
          Reason.UNREACHABLE, "cannot reach " + server + " (" + action + "): " + describe(e), e);
    }
    if (code == ResultCode.NO_SUCH_OBJECT) {
      return new LdapAuthException(
          Reason.DIRECTORY_ERROR, "baseDn [" + s.baseDn() + "] does not exist on " + server, e);
    }
    if (code == ResultCode.FILTER_ERROR) {
      return new LdapAuthException(
          Reason.BAD_FILTER, server + " rejected userFilter [" + s.userFilter() + "]", e);
    }
    return new LdapAuthException(
        Reason.DIRECTORY_ERROR, server + " refused to " + action + ": " + describe(e), e);
  }

  static boolean isConnectionProblem(ResultCode code) {
    return code == ResultCode.CONNECT_ERROR
        || code == ResultCode.SERVER_DOWN
        || code == ResultCode.TIMEOUT;
  }

  /** The result code's name and the server's diagnostic message, without the SDK's debug text. */
  static String describe(LDAPException e) {
    String diagnostic = e.getDiagnosticMessage();
    return e.getResultCode().getName()
        + (diagnostic == null || diagnostic.isBlank() ? "" : " (" + diagnostic + ")");
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
