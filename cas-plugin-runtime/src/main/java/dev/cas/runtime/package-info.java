/**
 * Loads and runs plugins: {@link dev.cas.runtime.PluginRuntime} installs, activates, upgrades and
 * removes them; each has a {@link dev.cas.runtime.PluginClassLoader}; the server dispatches HTTP
 * through the {@link dev.cas.runtime.RouteTable}; the {@link dev.cas.runtime.LeakDetector} names
 * what keeps an unloaded plugin's classes alive.
 */
package dev.cas.runtime;
