/**
 * Loads and runs plugins: {@link dev.cas.runtime.PluginRuntime} installs, activates, upgrades and
 * removes them; each has a {@link dev.cas.runtime.PluginClassLoader}; the server dispatches HTTP
 * through the {@link dev.cas.runtime.RouteTable} and runs each matched route with {@link
 * dev.cas.runtime.PluginRuntime#callRoute}, an accounted call with a deadline, a concurrency limit
 * and CPU and allocation budgets ({@link dev.cas.runtime.CallLimits}, {@link
 * dev.cas.runtime.PluginUsage}, {@link dev.cas.runtime.LoopBudget}); the {@link
 * dev.cas.runtime.LeakDetector} names what keeps an unloaded plugin's classes alive.
 */
package dev.cas.runtime;
