package dev.cas.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's platform version and a description of the machine, for metadata.json. */
public final class CasVersion {

  private static final String VERSION = load();

  private CasVersion() {}

  /** The platform version this jar was built as, e.g. {@code 1.0.0-SNAPSHOT}. */
  public static String current() {
    return VERSION;
  }

  /** The running Java feature version, e.g. {@code 25}. */
  public static int javaFeature() {
    return Runtime.version().feature();
  }

  /** This system, as metadata.json's {@code sourceSystem} names it. */
  public static Metadata.SourceSystem sourceSystem(String instanceId) {
    return new Metadata.SourceSystem(
        instanceId,
        VERSION,
        String.valueOf(javaFeature()),
        System.getProperty("os.name", "") + " " + System.getProperty("os.arch", ""));
  }

  private static String load() {
    try (InputStream in = CasVersion.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("cas.version", "0.0.0");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read version.properties", e);
    }
  }
}
