package dev.cas.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The jar of a migrated PF4J plugin ({@code backend/dist/<id>.jar}): the PF4J plugin's own entries
 * as they were, less its signature files, plus the class files of {@code dev.cas.pf4j} (the main
 * class, the SLF4J provider), the provider's {@code META-INF/services} entry and {@code
 * META-INF/cas-pf4j.properties} (the PF4J descriptor the main class reads). Entries carry the
 * package's creation time, so the same input gives the same bytes.
 */
final class Pf4jPluginJar {

  /** The class files of {@code dev.cas.pf4j} that go into the plugin's jar. */
  private static final List<String> BRIDGE =
      List.of("Pf4jPluginAdapter", "CasSlf4jProvider", "CasSlf4jLogger");

  private static final String SETTINGS = "META-INF/cas-pf4j.properties";
  private static final String SLF4J_SERVICE =
      "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

  private Pf4jPluginJar() {}

  /** The plugin's jar as it was, plus the bridge classes, their settings and SLF4J provider. */
  static byte[] build(
      Map<String, byte[]> entries,
      Pf4jMetadata legacy,
      Instant createdAt,
      List<String> notCarried,
      List<String> warnings)
      throws IOException {
    Map<String, byte[]> jar = new LinkedHashMap<>();
    entries.forEach(
        (name, bytes) -> {
          String upper = name.toUpperCase(java.util.Locale.ROOT);
          if (upper.startsWith("META-INF/")
              && (upper.endsWith(".SF")
                  || upper.endsWith(".RSA")
                  || upper.endsWith(".DSA")
                  || upper.endsWith(".EC"))) {
            notCarried.add(
                "jar signature ["
                    + name
                    + "]: the jar changes, so its signature is left out; sign"
                    + " the package (--key)");
          } else if (name.equals(SLF4J_SERVICE)) {
            warnings.add(
                "the jar's own SLF4J provider is replaced by one writing to the plugin's CAS"
                    + " logger");
          } else if (name.startsWith("dev/cas/pf4j/") || name.equals(SETTINGS)) {
            throw new MigrationException(
                "the jar already holds [" + name + "]: it was migrated before");
          } else {
            if (name.endsWith(".jar")) {
              notCarried.add(
                  "nested jar ["
                      + name
                      + "]: not on the plugin's class path in CAS; put it in backend/lib");
            }
            jar.put(name, bytes);
          }
        });
    for (String bridge : BRIDGE) {
      String path = "dev/cas/pf4j/" + bridge + ".class";
      jar.put(path, resource(path));
    }
    jar.put(SETTINGS, settings(legacy));
    jar.put(SLF4J_SERVICE, "dev.cas.pf4j.CasSlf4jProvider\n".getBytes(StandardCharsets.UTF_8));
    return zip(jar, createdAt);
  }

  private static byte[] settings(Pf4jMetadata legacy) {
    StringBuilder s =
        new StringBuilder(
            "# The PF4J descriptor of this plugin, read by " + Pf4jMigration.MAIN + "\n");
    new TreeMap<>(legacy.values())
        .forEach(
            (k, v) ->
                s.append(k)
                    .append('=')
                    .append(v.replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n'));
    return s.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] zip(Map<String, byte[]> entries, Instant createdAt) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FileTime time = FileTime.from(createdAt);
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setLastModifiedTime(time);
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = Pf4jMigration.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("this cas has no [" + path + "]; its build is broken");
      }
      return in.readAllBytes();
    }
  }
}
