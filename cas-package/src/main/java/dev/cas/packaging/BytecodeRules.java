package dev.cas.packaging;

import dev.cas.packaging.SecurityFinding.Risk;
import java.util.List;
import java.util.Optional;

/**
 * Which JDK calls the static scan reports, with their risk and the permission that makes them
 * expected. Matched on the called method's owner (internal name) and name; a rule whose name is
 * {@code *} matches every method of the owner (or of the owner's package when it ends in {@code
 * /}).
 */
final class BytecodeRules {

  /**
   * One rule.
   *
   * @param owner internal class name, or a package prefix ending in {@code /}
   * @param method method name or {@code *}
   * @param risk risk when found
   * @param category capability category
   * @param permission the manifest permission under which the call is expected (lowers nothing, but
   *     a call without it is reported one level higher), or empty
   */
  record Rule(
      String owner, String method, Risk risk, String category, Optional<String> permission) {
    boolean matches(String callOwner, String callName) {
      boolean ownerOk = owner.endsWith("/") ? callOwner.startsWith(owner) : owner.equals(callOwner);
      return ownerOk && (method.equals("*") || method.equals(callName));
    }
  }

  private static Rule r(String owner, String method, Risk risk, String category) {
    return new Rule(owner, method, risk, category, Optional.empty());
  }

  private static Rule r(
      String owner, String method, Risk risk, String category, String permission) {
    return new Rule(owner, method, risk, category, Optional.of(permission));
  }

  static final List<Rule> RULES =
      List.of(
          r("java/lang/ProcessBuilder", "start", Risk.CRITICAL, "process"),
          r("java/lang/ProcessBuilder", "startPipeline", Risk.CRITICAL, "process"),
          r("java/lang/Runtime", "exec", Risk.CRITICAL, "process"),
          r("java/lang/System", "exit", Risk.CRITICAL, "exit"),
          r("java/lang/Runtime", "exit", Risk.CRITICAL, "exit"),
          r("java/lang/Runtime", "halt", Risk.CRITICAL, "exit"),
          r("java/lang/Runtime", "addShutdownHook", Risk.HIGH, "global-state"),
          r("java/lang/System", "load", Risk.CRITICAL, "native"),
          r("java/lang/System", "loadLibrary", Risk.CRITICAL, "native"),
          r("java/lang/Runtime", "load", Risk.CRITICAL, "native"),
          r("java/lang/Runtime", "loadLibrary", Risk.CRITICAL, "native"),
          r("java/lang/foreign/", "*", Risk.CRITICAL, "native"),
          r("sun/misc/Unsafe", "*", Risk.CRITICAL, "unsafe"),
          r("jdk/internal/", "*", Risk.CRITICAL, "unsafe"),
          r("java/lang/reflect/AccessibleObject", "setAccessible", Risk.HIGH, "reflection"),
          r("java/lang/reflect/Field", "setAccessible", Risk.HIGH, "reflection"),
          r("java/lang/reflect/Method", "setAccessible", Risk.HIGH, "reflection"),
          r("java/lang/reflect/Constructor", "setAccessible", Risk.HIGH, "reflection"),
          r("java/lang/invoke/MethodHandles", "privateLookupIn", Risk.HIGH, "reflection"),
          r("java/lang/invoke/MethodHandles$Lookup", "defineClass", Risk.HIGH, "class-definition"),
          r(
              "java/lang/invoke/MethodHandles$Lookup",
              "defineHiddenClass",
              Risk.HIGH,
              "class-definition"),
          r("java/lang/ClassLoader", "<init>", Risk.HIGH, "class-loader"),
          r("java/net/URLClassLoader", "<init>", Risk.HIGH, "class-loader"),
          r("java/net/URLClassLoader", "newInstance", Risk.HIGH, "class-loader"),
          r("java/lang/System", "setProperty", Risk.HIGH, "global-state"),
          r("java/lang/System", "clearProperty", Risk.HIGH, "global-state"),
          r("java/lang/System", "setProperties", Risk.HIGH, "global-state"),
          r("java/lang/System", "setOut", Risk.HIGH, "global-state"),
          r("java/lang/System", "setErr", Risk.HIGH, "global-state"),
          r("java/lang/System", "setIn", Risk.HIGH, "global-state"),
          r("java/util/Locale", "setDefault", Risk.HIGH, "global-state"),
          r("java/util/TimeZone", "setDefault", Risk.HIGH, "global-state"),
          r("java/net/URL", "setURLStreamHandlerFactory", Risk.HIGH, "global-state"),
          r("javax/net/ssl/SSLContext", "setDefault", Risk.HIGH, "global-state"),
          r(
              "javax/net/ssl/HttpsURLConnection",
              "setDefaultHostnameVerifier",
              Risk.HIGH,
              "global-state"),
          r(
              "javax/net/ssl/HttpsURLConnection",
              "setDefaultSSLSocketFactory",
              Risk.HIGH,
              "global-state"),
          r("java/net/Socket", "<init>", Risk.MEDIUM, "network", "network.outbound"),
          r("java/net/ServerSocket", "<init>", Risk.HIGH, "network"),
          r("java/net/DatagramSocket", "<init>", Risk.MEDIUM, "network", "network.outbound"),
          r("java/net/URL", "openConnection", Risk.MEDIUM, "network", "network.outbound"),
          r("java/net/URL", "openStream", Risk.MEDIUM, "network", "network.outbound"),
          r(
              "java/net/http/HttpClient",
              "newHttpClient",
              Risk.MEDIUM,
              "network",
              "network.outbound"),
          r("java/net/http/HttpClient", "newBuilder", Risk.MEDIUM, "network", "network.outbound"),
          r("java/nio/channels/SocketChannel", "open", Risk.MEDIUM, "network", "network.outbound"),
          r("java/io/FileInputStream", "<init>", Risk.MEDIUM, "file"),
          r("java/io/FileOutputStream", "<init>", Risk.MEDIUM, "file"),
          r("java/io/RandomAccessFile", "<init>", Risk.MEDIUM, "file"),
          r("java/io/FileReader", "<init>", Risk.MEDIUM, "file"),
          r("java/io/FileWriter", "<init>", Risk.MEDIUM, "file"),
          r("java/nio/file/Files", "*", Risk.MEDIUM, "file"),
          r("java/lang/Thread", "start", Risk.LOW, "thread"),
          r("java/lang/Thread", "startVirtualThread", Risk.LOW, "thread"),
          r("java/util/concurrent/Executors", "*", Risk.LOW, "thread"),
          r("java/lang/System", "getenv", Risk.LOW, "environment"));

  private BytecodeRules() {}

  static Optional<Rule> match(String owner, String name) {
    return RULES.stream().filter(rule -> rule.matches(owner, name)).findFirst();
  }
}
