package dev.cas.runtime;

import dev.cas.packaging.CompatibilityChecker;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PluginRuntime} behaves.
 *
 * @param lifecycleTimeout longest a plugin's constructor, {@code initialize}, {@code activate} or
 *     {@code deactivate} may take before the plugin is failed and the host goes on
 * @param host the host a plugin's compatibility is checked against
 * @param services what the host offers beyond the runtime's own services
 * @param calls deadlines, concurrency and strikes for plugin calls
 * @param attribution told when code of a plugin starts and ends running on a thread (the host's log
 *     attribution)
 */
public record RuntimeOptions(
    Duration lifecycleTimeout,
    CompatibilityChecker.Host host,
    HostServices services,
    CallLimits calls,
    CallAttribution attribution) {

  public RuntimeOptions {
    Objects.requireNonNull(lifecycleTimeout, "lifecycleTimeout");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(calls, "calls");
    Objects.requireNonNull(attribution, "attribution");
  }

  /** Options that attribute nothing. */
  public RuntimeOptions(
      Duration lifecycleTimeout,
      CompatibilityChecker.Host host,
      HostServices services,
      CallLimits calls) {
    this(lifecycleTimeout, host, services, calls, CallAttribution.NONE);
  }

  /** Options with the default {@link CallLimits}. */
  public RuntimeOptions(
      Duration lifecycleTimeout, CompatibilityChecker.Host host, HostServices services) {
    this(lifecycleTimeout, host, services, CallLimits.defaults());
  }

  /** Ten-second lifecycle timeout, this build's host, in-memory services. */
  public static RuntimeOptions defaults() {
    return new RuntimeOptions(
        Duration.ofSeconds(10), CompatibilityChecker.Host.current(), HostServices.inMemory());
  }

  /** A copy with another lifecycle timeout. */
  public RuntimeOptions withLifecycleTimeout(Duration timeout) {
    return new RuntimeOptions(timeout, host, services, calls, attribution);
  }

  /** A copy with other host services. */
  public RuntimeOptions withServices(HostServices newServices) {
    return new RuntimeOptions(lifecycleTimeout, host, newServices, calls, attribution);
  }

  /** A copy with other call limits. */
  public RuntimeOptions withCalls(CallLimits newCalls) {
    return new RuntimeOptions(lifecycleTimeout, host, services, newCalls, attribution);
  }

  /** A copy that tells {@code newAttribution} where plugin code runs. */
  public RuntimeOptions withAttribution(CallAttribution newAttribution) {
    return new RuntimeOptions(lifecycleTimeout, host, services, calls, newAttribution);
  }
}
