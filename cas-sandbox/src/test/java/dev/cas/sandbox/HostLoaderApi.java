package dev.cas.sandbox;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * A host API that makes class loaders, on the child JVM's class path beside {@link HostileProbe}:
 * the hostile plugins reach it through the system class loader and ask it for one. Host code making
 * a loader is trusted, but not while a plugin frame is on the stack.
 */
public final class HostLoaderApi {

  private HostLoaderApi() {}

  /** A new, empty loader named {@code host-made}. */
  public static ClassLoader newLoader() {
    return new URLClassLoader("host-made", new URL[0], HostLoaderApi.class.getClassLoader());
  }
}
