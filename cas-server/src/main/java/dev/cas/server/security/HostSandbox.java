package dev.cas.server.security;

import dev.cas.runtime.PluginSandbox;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin sandbox as the host runs it: the start-up canary, and every denial counted per plugin
 * and operation (for {@code GET /api/plugins/{id}/status}) and written to the audit trail as
 * {@value #AUDIT_ACTION}.
 *
 * <p>Denials arrive on the denied plugin's thread, inside the JDK method it called: there they are
 * only counted and queued (no I/O, no lambdas or string concatenation that could define classes
 * while a plugin frame is on the stack); this host's own thread writes the audit entries. A plugin
 * that floods denials fills the bounded queue: the counters stay exact and the overflow is logged
 * as a number, not written.
 */
public final class HostSandbox implements AutoCloseable {

  static final String AUDIT_ACTION = "sandbox.denied";

  private static final Logger LOG = LoggerFactory.getLogger(HostSandbox.class);
  private static final int QUEUE_SIZE = 10_000;
  private static final int MAX_TARGET = 300;

  /** A denial and the request it happened in (null outside one). */
  private record Entry(PluginSandbox.Denial denial, RequestContext request) {}

  private static final Entry STOP = new Entry(null, null);

  private final AuditLog audit;
  private final boolean enforced;
  private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
  private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private final AutoCloseable subscription;

  public HostSandbox(AuditLog audit) {
    this.audit = audit;
    this.enforced = PluginSandbox.enforced();
    this.writer = Thread.ofPlatform().daemon().name("cas-sandbox-audit").start(this::writeLoop);
    this.subscription = PluginSandbox.onDenial(this::denied);
  }

  /**
   * Before the host serves: with the agent, runs the canary and refuses to start when it is not
   * denied ({@code sandbox canary: … was not denied}); without it, logs once that plugins run
   * unsandboxed. {@code outsideFile} is a host file outside every plugin folder.
   */
  public static void checkAtStart(Path outsideFile) {
    if (!PluginSandbox.enforced()) {
      LOG.warn(
          "sandbox: the agent is not loaded, plugin policies are not enforced inside the JDK"
              + " (./cas server loads it unless CAS_SANDBOX=off)");
      return;
    }
    List<String> denied;
    try {
      denied = PluginSandbox.runCanary(outsideFile);
    } catch (IllegalStateException e) {
      throw new CanaryFailed(e);
    }
    LOG.info("sandbox: enforced, the canary was denied {}", denied);
  }

  /** The sandbox did not deny the canary: the host must not start. */
  public static final class CanaryFailed extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    CanaryFailed(IllegalStateException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** The {@code sandbox} object of a plugin's status. */
  public Map<String, Object> status(String pluginId) {
    Map<String, Long> byOperation = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, LongAdder> e : counts.getOrDefault(pluginId, Map.of()).entrySet()) {
      long n = e.getValue().sum();
      byOperation.put(e.getKey(), n);
      total += n;
    }
    Map<String, Object> status = new java.util.LinkedHashMap<>();
    status.put("enforced", enforced);
    status.put("denials", total);
    status.put("byOperation", byOperation);
    return status;
  }

  /** On the denied thread: count and queue, nothing else. */
  private void denied(PluginSandbox.Denial denial) {
    Map<String, LongAdder> ops = counts.get(denial.pluginId());
    if (ops == null) {
      Map<String, LongAdder> fresh = new ConcurrentHashMap<>();
      ops = counts.putIfAbsent(denial.pluginId(), fresh);
      if (ops == null) {
        ops = fresh;
      }
    }
    LongAdder n = ops.get(denial.operation());
    if (n == null) {
      LongAdder fresh = new LongAdder();
      n = ops.putIfAbsent(denial.operation(), fresh);
      if (n == null) {
        n = fresh;
      }
    }
    n.increment();
    if (!queue.offer(new Entry(denial, RequestContext.current()))) {
      dropped.incrementAndGet();
    }
  }

  private void writeLoop() {
    while (true) {
      Entry e;
      try {
        e = queue.take();
      } catch (InterruptedException stop) {
        return;
      }
      if (e == STOP) {
        return;
      }
      try {
        write(e);
      } catch (RuntimeException failure) {
        LOG.error(
            "sandbox: cannot audit a denial of plugin [{}]: {}",
            e.denial().pluginId(),
            failure.toString());
      }
      long lost = dropped.getAndSet(0);
      if (lost > 0) {
        LOG.warn("sandbox: {} denials were counted but not audited (queue full)", lost);
      }
    }
  }

  /**
   * Threat: the audit trail leaking what a plugin tried to smuggle, e.g. a token on a command line.
   * A process is recorded by its program only, and every target is cut short.
   */
  private void write(Entry e) {
    PluginSandbox.Denial d = e.denial();
    String target = d.target();
    if (d.operation().equals("PROCESS_START")) {
      int space = target.indexOf(' ');
      target = space < 0 ? target : target.substring(0, space) + " …";
    }
    if (target.length() > MAX_TARGET) {
      target = target.substring(0, MAX_TARGET) + "…";
    }
    audit.record(
        e.request() == null ? "system" : e.request().who(),
        AUDIT_ACTION,
        d.pluginId(),
        "denied",
        d.operation() + " [" + target + "]: " + d.reason(),
        e.request() == null ? "local" : e.request().remote);
  }

  /** Stops listening, then writes what is queued (a few seconds at most). */
  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long failures = PluginSandbox.listenerFailures();
    if (failures > 0) {
      LOG.warn("sandbox: {} denials could not be handed to the host's listener", failures);
    }
    if (!queue.offer(STOP)) {
      writer.interrupt();
    }
    try {
      if (!writer.join(java.time.Duration.ofSeconds(5))) {
        writer.interrupt();
        LOG.warn("sandbox: {} denials not audited at stop", queue.size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
