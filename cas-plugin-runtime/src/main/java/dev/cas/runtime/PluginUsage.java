package dev.cas.runtime;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What one plugin instance's calls used since it was loaded: every route handler, lifecycle method,
 * event handler and task run on a host-owned platform thread and is added up here. CPU time and
 * allocated bytes are the JVM's per-thread figures ({@code ThreadMXBean}); they count only calls
 * that ended (a call still running adds at its end).
 *
 * @param calls calls that ended, of every kind
 * @param errors calls that threw (stopped ones included)
 * @param timeouts calls stopped at their deadline
 * @param overBudget calls stopped or finished over their CPU or allocation budget
 * @param rejected route calls refused because the plugin had its maximum in flight
 * @param inFlight calls running now
 * @param cpuNanos CPU time of the ended calls
 * @param allocatedBytes bytes the ended calls allocated
 * @param wallNanos wall time of the ended calls
 * @param strikes deadline kills and budget breaches within the strike window
 * @param routeDeadline how long a route call may run
 * @param maxConcurrentCalls route calls it may have in flight
 * @param cpuNanosPerCall CPU budget of one call, from {@code sandbox.cpuLimit}
 * @param bytesPerCall allocation budget of one call, from {@code sandbox.memoryLimit}
 * @param poolTasks runs of tasks the plugin handed to pools and timers it does not own (the common
 *     pool, {@code CompletableFuture.*Async}, a host's or the JDK's executor or timer) that ended;
 *     counted only with the sandbox agent, which tells who submitted them
 * @param poolCancelled such tasks refused because the plugin was stopped when they came to run
 * @param poolStopped such tasks stopped (interrupted, loops stopped) when the plugin was stopped
 * @param poolCpuNanos CPU time of those runs, measured on the threads that ran them
 * @param poolAllocatedBytes bytes those runs allocated
 */
public record PluginUsage(
    long calls,
    long errors,
    long timeouts,
    long overBudget,
    long rejected,
    int inFlight,
    long cpuNanos,
    long allocatedBytes,
    long wallNanos,
    int strikes,
    Duration routeDeadline,
    int maxConcurrentCalls,
    OptionalLong cpuNanosPerCall,
    OptionalLong bytesPerCall,
    long poolTasks,
    long poolCancelled,
    long poolStopped,
    long poolCpuNanos,
    long poolAllocatedBytes) {}
