package dev.cas.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Packages a plugin during a Maven build (run by exec-maven-plugin's {@code java} goal in the
 * plugin modules): signs it with the build's development key, creating that key pair on first use.
 * Unlike {@link Cas#main}, it never calls {@code System.exit}, which would end the Maven JVM; a
 * refusal is an exception that fails the build.
 *
 * <p>Arguments: {@code PLUGIN_DIR OUT_ZIP KEY_DIR}.
 */
public final class BuildPackage {

  private BuildPackage() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: BuildPackage PLUGIN_DIR OUT_ZIP KEY_DIR");
    }
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    Path keys = Path.of(args[2]);
    if (!Files.exists(keys.resolve("private-key.pem"))) {
      run(out, err, "keygen", "--algorithm", "ed25519", "--out", keys.toString());
    }
    List<String> args2 =
        new ArrayList<>(
            List.of(
                "package",
                args[0],
                "--out",
                args[1],
                "--include-data",
                "--strict",
                "--sign",
                "--key",
                keys.resolve("private-key.pem").toString()));
    if (System.getenv("SOURCE_DATE_EPOCH") == null) {
      // A fixed time keeps the sample packages byte-identical from build to build.
      args2.addAll(List.of("--created-at", "2026-01-01T00:00:00Z"));
    }
    run(out, err, args2.toArray(String[]::new));
  }

  private static void run(PrintWriter out, PrintWriter err, String... args) {
    int exit = Cas.run(args, out, err);
    if (exit != Cas.OK) {
      throw new IllegalStateException(
          "cas " + String.join(" ", args) + " failed with exit code " + exit);
    }
  }
}
