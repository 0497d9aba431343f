package dev.cas.runtime;

import java.util.HashSet;
import java.util.Set;

/**
 * The packages of the JDK's own modules (those the boot and platform loaders define). A plugin
 * always gets these from the JDK, never from its own jars: a bundled {@code xml-apis.jar} must not
 * give it a second {@code org.w3c.dom.Node} that the JDK's parsers cannot accept.
 */
final class JdkPackages {

  private static final Set<String> PACKAGES = compute();

  private JdkPackages() {}

  static boolean contains(String packageName) {
    return PACKAGES.contains(packageName);
  }

  private static Set<String> compute() {
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    Set<String> packages = new HashSet<>();
    for (Module module : ModuleLayer.boot().modules()) {
      ClassLoader loader = module.getClassLoader();
      if (loader == null || loader == platform) {
        packages.addAll(module.getPackages());
      }
    }
    return Set.copyOf(packages);
  }
}
