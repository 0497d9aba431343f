package dev.cas.sandbox.checker;

/**
 * A sensitive JDK operation refused to a plugin. It names the plugin, the operation and its target,
 * e.g. {@code plugin [hostile] may not connect to [10.0.0.5:25]: host not in sandbox.allowedHosts
 * [db.internal:5432]}. A {@link SecurityException}, so code written for the old SecurityManager
 * handles it.
 */
public final class PluginPermissionDenied extends SecurityException {

  private static final long serialVersionUID = 1L;

  /** What was attempted; one value per guarded family of JDK methods. */
  public enum Operation {
    FILE_READ("read"),
    FILE_WRITE("write"),
    CREATE_LINK("create the link"),
    CONNECT("connect to"),
    RESOLVE("resolve the host name"),
    SEND("send datagrams to"),
    LISTEN("listen on"),
    UNIX_SOCKET("use the Unix-domain socket"),
    PROCESS_START("start the process"),
    PROCESS_SIGNAL("signal the process"),
    PROCESS_INFO("read the command line of the process"),
    EXIT("exit the JVM with status"),
    HALT("halt the JVM with status"),
    SHUTDOWN_HOOK("add the shutdown hook"),
    NATIVE_ACCESS("use native code through"),
    THREAD_START("start the thread"),
    SET_PROPERTY("set the system property"),
    READ_ENVIRONMENT("read the environment variable"),
    GLOBAL_STATE("change JVM-wide state through"),
    CREATE_CLASS_LOADER("create the class loader"),
    DEFINE_CLASS("define classes through"),
    REFLECT("reflect into"),
    HOST_ONLY("use the host-only JVM service"),
    FRAMELESS_PROXY("make a proxy through"),
    LOGGER("configure the logger"),
    HOST_CLASS("load the host class"),
    HOST_RESOURCE("read the host resource"),
    SANDBOX_ADMIN("change the sandbox through");

    private final String verb;

    Operation(String verb) {
      this.verb = verb;
    }
  }

  private final String pluginId;
  private final Operation operation;
  private final String target;
  private final String reason;

  /**
   * Every denial is made here, so every denial reaches the host's listener ({@link
   * PolicyRegistry#onDenial}) — for its audit trail and counters — before it is thrown.
   */
  PluginPermissionDenied(String pluginId, Operation operation, String target, String why) {
    super("plugin [" + pluginId + "] may not " + operation.verb + " [" + target + "]: " + why);
    this.pluginId = pluginId;
    this.operation = operation;
    this.target = target;
    this.reason = why;
    PolicyRegistry.notifyDenial(this);
  }

  /** The plugin refused, or {@code unknown:<loader name>} for code from an unregistered loader. */
  public String pluginId() {
    return pluginId;
  }

  public Operation operation() {
    return operation;
  }

  public String target() {
    return target;
  }

  /** Why it was refused, e.g. {@code the plugin has no file system access}. */
  public String reason() {
    return reason;
  }
}
