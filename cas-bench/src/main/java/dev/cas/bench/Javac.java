package dev.cas.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Compiles one class in memory against the bench's class path and writes jars of it: the PF4J
 * plugins and Felix bundles are the same compiled class under N different manifests.
 */
final class Javac {

  private Javac() {}

  /** Class file bytes by entry name ({@code a/b/C.class}) of one source file. */
  static Map<String, byte[]> compile(String className, String source) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
    var manager =
        new ForwardingJavaFileManager<>(
            compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
            String entry = name.replace('.', '/') + ".class";
            return new SimpleJavaFileObject(URI.create("mem:///" + entry), kind) {
              @Override
              public OutputStream openOutputStream() {
                return out.computeIfAbsent(entry, k -> new ByteArrayOutputStream());
              }
            };
          }
        };
    JavaFileObject unit =
        new SimpleJavaFileObject(
            URI.create("string:///" + className.replace('.', '/') + ".java"),
            JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    List<String> options =
        List.of("--release", "21", "-proc:none", "-cp", System.getProperty("java.class.path"));
    if (!compiler.getTask(null, manager, diagnostics, options, null, List.of(unit)).call()) {
      throw new IllegalStateException(
          "bench class [" + className + "] does not compile: " + diagnostics.getDiagnostics());
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    out.forEach((k, v) -> classes.put(k, v.toByteArray()));
    return classes;
  }

  /** Writes a jar of {@code classes} with these main manifest attributes. */
  static void writeJar(Path jar, Map<String, String> attributes, Map<String, byte[]> classes) {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    attributes.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
      for (Map.Entry<String, byte[]> e : classes.entrySet()) {
        out.putNextEntry(new JarEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
