package dev.cas.runtime;

import dev.cas.packaging.Manifest;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one call of a plugin may use, from its manifest's {@code sandbox.cpuLimit} and {@code
 * sandbox.memoryLimit} and the host's route deadline. HotSpot has no per-plugin heap or CPU quota,
 * so these are budgets checked per call, not hard caps:
 *
 * <ul>
 *   <li>CPU: {@code cpuLimit} in cores ({@code "500m"} = 0.5, {@code "2"} = 2) × the route deadline
 *       is the CPU time one call may use ({@code 500m} × 30 s = 15 s);
 *   <li>memory: {@code memoryLimit} ({@code "512Mi"}) is the number of bytes one call may allocate
 *       on its thread — allocation, not live heap: short-lived garbage counts too.
 * </ul>
 *
 * Absent limits mean no CPU or allocation budget; the deadline always applies to routes and events.
 *
 * @param cpuNanosPerCall CPU time one call may use
 * @param bytesPerCall bytes one call may allocate
 */
record CallBudget(OptionalLong cpuNanosPerCall, OptionalLong bytesPerCall) {

  private static final Pattern CPU = Pattern.compile("([0-9]+)m|([0-9]+(?:\\.[0-9]+)?)");
  private static final Pattern MEMORY = Pattern.compile("([0-9]+)(Ki|Mi|Gi)?");

  static CallBudget of(Manifest manifest, Duration routeDeadline) {
    OptionalLong cpu = OptionalLong.empty();
    OptionalLong bytes = OptionalLong.empty();
    if (manifest.sandbox().isPresent()) {
      Manifest.Sandbox s = manifest.sandbox().get();
      if (s.cpuLimit().isPresent()) {
        double cores = cores(manifest.id(), s.cpuLimit().get());
        cpu = OptionalLong.of((long) (cores * routeDeadline.toNanos()));
      }
      if (s.memoryLimit().isPresent()) {
        bytes = OptionalLong.of(bytes(manifest.id(), s.memoryLimit().get()));
      }
    }
    return new CallBudget(cpu, bytes);
  }

  /** {@code "500m"} → 0.5, {@code "2"} → 2.0, as Kubernetes writes CPU quantities. */
  static double cores(String pluginId, String limit) {
    Matcher m = CPU.matcher(limit.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "plugin [" + pluginId + "] sandbox.cpuLimit [" + limit + "] is not like 500m or 2");
    }
    return m.group(1) != null
        ? Long.parseLong(m.group(1)) / 1000.0
        : Double.parseDouble(m.group(2));
  }

  /** {@code "512Mi"} → 536870912; no suffix means bytes. */
  static long bytes(String pluginId, String limit) {
    Matcher m = MEMORY.matcher(limit.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "plugin [" + pluginId + "] sandbox.memoryLimit [" + limit + "] is not like 512Mi");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    return switch (unit) {
      case "Ki" -> n << 10;
      case "Mi" -> n << 20;
      case "Gi" -> n << 30;
      default -> n;
    };
  }
}
