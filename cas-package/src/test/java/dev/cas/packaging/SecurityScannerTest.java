package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.packaging.SecurityFinding.Risk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static scan on real compiled classes, real jars and real files. */
class SecurityScannerTest {

  @TempDir Path tmp;

  private static final String HOSTILE =
      """
      package evil;
      public class Payload {
        public void run() throws Exception {
          Runtime.getRuntime().exec(new String[] {"sh", "-c", "id"});
        }
        public void phone() throws Exception {
          new java.net.Socket("example.org", 80).close();
        }
        public void global() {
          System.setProperty("user.home", "/tmp");
        }
      }
      """;

  @Test
  void reportsSensitiveCallsWithClassMethodAndLine() throws IOException {
    PluginPackage pkg =
        read(Map.of("backend/dist/text-block.jar", jar(Map.of("evil.Payload", HOSTILE), Map.of())));

    SecurityScanner.Report report = SecurityScanner.scan(pkg);

    assertThat(report.ownCode())
        .extracting(SecurityFinding::describe)
        .contains(
            "[CRITICAL] process at evil.Payload#run:4 (backend/dist/text-block.jar) - java.lang.Runtime.exec",
            "[HIGH] network at evil.Payload#phone:7 (backend/dist/text-block.jar) - java.net.Socket.<init> without"
                + " permission [network.outbound]",
            "[HIGH] global-state at evil.Payload#global:10 (backend/dist/text-block.jar) - java.lang.System.setProperty");
    assertThatThrownBy(() -> report.requireBelow(Risk.CRITICAL, false))
        .isInstanceOf(PackageException.class)
        .hasMessageStartingWith(
            "security scan found 1 finding(s) at or above CRITICAL: [CRITICAL] process at evil.Payload#run:4");
  }

  @Test
  void findsSecretsButNotPlaceholders() throws IOException {
    PluginPackage pkg =
        read(
            Map.of(
                "docs/keys.md",
                    ("# keys\n\n-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
                        .getBytes(StandardCharsets.UTF_8),
                "data/app.properties",
                    "db.password=changeme\napi.token=Zx81kQm2Lp0sWv7Tn4Ye\n"
                        .getBytes(StandardCharsets.UTF_8)));

    List<String> found =
        SecurityScanner.scan(pkg).ownCode().stream().map(SecurityFinding::describe).toList();

    assertThat(found)
        .containsExactlyInAnyOrder(
            "[CRITICAL] secret at docs/keys.md:3 - private key (value not shown)",
            "[HIGH] secret at data/app.properties:2 - password assignment (value not shown)");
  }

  @Test
  void listsBundledLibrariesAsCycloneDxAndKeepsTheirFindingsAdvisory() throws IOException {
    byte[] lib =
        jar(
            Map.of(
                "lib.Native",
                "package lib; public class Native { static { System.loadLibrary(\"x\"); } }"),
            Map.of(
                "META-INF/maven/org.example/native-lib/pom.properties",
                "groupId=org.example\nartifactId=native-lib\nversion=2.1.0\n"));
    PluginPackage pkg = read(Map.of("backend/lib/native-lib-2.1.0.jar", lib));

    SecurityScanner.Report report = SecurityScanner.scan(pkg);

    assertThat(report.components())
        .extracting(SecurityScanner.SbomComponent::purl)
        .containsExactly("pkg:maven/org.example/native-lib@2.1.0");
    assertThat(report.ownCode()).isEmpty();
    assertThat(report.maxRisk(true)).isEqualTo(Risk.CRITICAL);
    report.requireBelow(Risk.CRITICAL, false);
    assertThatThrownBy(() -> report.requireBelow(Risk.CRITICAL, true))
        .hasMessageContaining("native at lib.Native#<clinit>");
    assertThat(SecurityScanner.cycloneDx(pkg, report))
        .contains(
            "\"bomFormat\" : \"CycloneDX\"",
            "\"purl\" : \"pkg:maven/org.example/native-lib@2.1.0\"");
  }

  private PluginPackage read(Map<String, byte[]> extra) throws IOException {
    Path dir = tmp.resolve("src");
    PluginFolders.create(dir);
    // The fixture's jar holds a stub class file; a real, empty jar unless the test brings one.
    PluginFolders.write(dir, Map.of("backend/dist/text-block.jar", jar(Map.of(), Map.of())));
    PluginFolders.write(dir, extra);
    Path zip =
        PackageWriter.builder().includeData(true).build().write(dir, tmp.resolve("p.zip")).zip();
    return PackageReader.create(ReadOptions.defaults()).read(zip, tmp.resolve("out"));
  }

  /** Compiles sources into a jar with extra resources. */
  static byte[] jar(Map<String, String> sources, Map<String, String> resources) throws IOException {
    var compiler = ToolProvider.getSystemJavaCompiler();
    var standard = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8);
    Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
    var manager =
        new ForwardingJavaFileManager<>(standard) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location l, String name, JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(
                URI.create("mem:///" + name.replace('.', '/') + ".class"), kind) {
              @Override
              public java.io.OutputStream openOutputStream() {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                classes.put(name.replace('.', '/') + ".class", out);
                return out;
              }
            };
          }
        };
    List<JavaFileObject> units =
        sources.entrySet().stream()
            .map(
                e ->
                    (JavaFileObject)
                        new SimpleJavaFileObject(
                            URI.create("string:///" + e.getKey().replace('.', '/') + ".java"),
                            JavaFileObject.Kind.SOURCE) {
                          @Override
                          public CharSequence getCharContent(boolean ignore) {
                            return e.getValue();
                          }
                        })
            .toList();
    if (!units.isEmpty()) {
      assertThat(
              compiler
                  .getTask(null, manager, null, List.of("--release", "21", "-g"), null, units)
                  .call())
          .isTrue();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      for (var e : classes.entrySet()) {
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue().toByteArray());
      }
      for (var e : resources.entrySet()) {
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toByteArray();
  }
}
