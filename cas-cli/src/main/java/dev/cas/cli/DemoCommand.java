package dev.cas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cas demo}: the README's first command until the host exists. Runs the real commands on the
 * example plugin, printing each as it would be typed, and shows a tampered copy refused.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Walk through the package tools on examples/hello-docs: keygen, package --sign, validate,"
          + " inspect, and a tampered copy refused."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--keep",
      paramLabel = "DIR",
      description = "work in DIR and keep the files (default: a temporary folder, removed after)")
  Path keep;

  @Override
  public Integer call() throws IOException {
    Path home = Path.of(System.getProperty("cas.home", "."));
    Path example = home.resolve("examples/hello-docs");
    CliFiles.requireFolder(example, "example plugin");
    Path work = keep != null ? Files.createDirectories(keep) : CliFiles.tempFolder("cas-demo-");
    try {
      Path keys = work.resolve("keys");
      Path zip = work.resolve("hello-docs-v1.0.0.zip");
      Path tampered = work.resolve("tampered.zip");
      step("keygen", "--out", keys.toString(), "--force");
      step(
          "package",
          example.toString(),
          "--out",
          zip.toString(),
          "--include-data",
          "--sign",
          "--key",
          keys.resolve("private-key.pem").toString());
      step(
          "validate",
          zip.toString(),
          "--strict",
          "--signature",
          "--trust",
          keys.resolve("public-key.pem").toString(),
          "--compatibility");
      step("inspect", zip.toString());
      tamper(zip, tampered);
      PrintWriter out = spec.commandLine().getOut();
      out.println("# a copy with one byte of docs/overview.md changed:");
      int refused = run("validate", tampered.toString());
      out.println("# exit code " + refused + " (1 = refused)");
      return refused == Cas.REFUSED ? Cas.OK : Cas.REFUSED;
    } finally {
      if (keep == null) {
        CliFiles.deleteTree(work);
      }
    }
  }

  private void step(String... args) {
    int exit = run(args);
    if (exit != Cas.OK) {
      throw new IllegalStateException(
          "demo step [cas " + String.join(" ", args) + "] failed with exit " + exit);
    }
  }

  private int run(String... args) {
    PrintWriter out = spec.commandLine().getOut();
    out.println("$ cas " + String.join(" ", args));
    return Cas.run(args, out, out);
  }

  /** Rewrites the package with one changed byte in a docs page, keeping every other entry. */
  private static void tamper(Path zip, Path tampered) {
    try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip));
        var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(tampered))) {
      java.util.zip.ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        byte[] bytes = in.readAllBytes();
        if (entry.getName().equals("docs/overview.md")) {
          bytes[bytes.length - 2] ^= 1;
        }
        out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
