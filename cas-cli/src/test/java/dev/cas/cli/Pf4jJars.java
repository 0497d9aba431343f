package dev.cas.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Real PF4J plugin jars for the migration tests: sources compiled against PF4J 3 (on the test class
 * path) with PF4J's own annotation processor, which writes {@code META-INF/extensions.idx} for the
 * {@code @Extension} classes, as a PF4J plugin's build does.
 */
final class Pf4jJars {

  private Pf4jJars() {}

  /**
   * Compiles {@code sources} (class name → source) and jars them with {@code extraEntries} (path →
   * text) and the manifest attributes given.
   */
  static Path build(
      Path jar,
      Map<String, String> sources,
      Map<String, String> extraEntries,
      Map<String, String> manifestAttributes) {
    try {
      Path classes = Files.createTempDirectory(jar.getParent(), "classes");
      compile(sources, classes);
      Manifest mf = new Manifest();
      mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      manifestAttributes.forEach(mf.getMainAttributes()::putValue);
      try (OutputStream file = Files.newOutputStream(jar);
          JarOutputStream out = new JarOutputStream(file, mf);
          Stream<Path> walk = Files.walk(classes)) {
        for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(p));
          out.closeEntry();
        }
        for (Map.Entry<String, String> e : extraEntries.entrySet()) {
          out.putNextEntry(new JarEntry(e.getKey()));
          out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void compile(Map<String, String> sources, Path classes) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach(
        (name, code) ->
            units.add(
                new SimpleJavaFileObject(
                    URI.create("string:///" + name.replace('.', '/') + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                  @Override
                  public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                  }
                }));
    StringWriter diagnostics = new StringWriter();
    boolean ok =
        compiler
            .getTask(
                diagnostics,
                null,
                null,
                List.of(
                    "--release",
                    "21",
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-processor",
                    "org.pf4j.processor.ExtensionAnnotationProcessor",
                    "-d",
                    classes.toString()),
                null,
                units)
            .call();
    if (!ok) {
      throw new IllegalStateException("PF4J test plugin does not compile:\n" + diagnostics);
    }
  }
}
