package dev.cas.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything one plugin instance registered with the host, released in reverse order when the
 * instance is unloaded: subscriptions, tasks, database resources, anything the host hands out.
 */
final class PluginScope implements AutoCloseable {

  private final String pluginId;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private boolean closed;

  PluginScope(String pluginId) {
    this.pluginId = pluginId;
  }

  synchronized void add(AutoCloseable resource) {
    if (closed) {
      IllegalStateException refused =
          new IllegalStateException("plugin [" + pluginId + "] is unloaded; cannot register more");
      try {
        resource.close();
      } catch (Exception e) {
        refused.addSuppressed(e);
      }
      throw refused;
    }
    resources.push(resource);
  }

  /** Releases everything; failures are collected, never stop the release of the rest. */
  @Override
  public synchronized void close() {
    closed = true;
    RuntimeException failure = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure =
              new IllegalStateException("releasing plugin [" + pluginId + "] resources failed");
        }
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
