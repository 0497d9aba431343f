package dev.cas.packaging;

import dev.cas.packaging.SecurityFinding.Risk;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The static scan at install (layer 0 of the sandbox): reads every class in {@code backend/dist}
 * and {@code backend/lib} with ASM and reports calls to sensitive JDK methods with class, method
 * and line; finds secrets among the package's files; lists bundled libraries (SBOM); and compares
 * what the code uses with the permissions the manifest declares. It is advisory against a
 * determined, obfuscating author: the runtime's enforcement is what stops one.
 */
public final class SecurityScanner {

  private static final long MAX_TEXT_BYTES = 2L * 1024 * 1024;

  /** Patterns of secrets that must not travel in a package: threat, a leaked credential. */
  private static final List<SecretRule> SECRET_RULES =
      List.of(
          new SecretRule(
              "private key",
              Pattern.compile("-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
              Risk.CRITICAL,
              false),
          new SecretRule(
              "AWS access key",
              Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
              Risk.HIGH,
              false),
          new SecretRule(
              "GitHub token",
              Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"),
              Risk.HIGH,
              false),
          new SecretRule(
              "Slack token",
              Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}\\b"),
              Risk.HIGH,
              false),
          new SecretRule(
              "Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"), Risk.HIGH, false),
          new SecretRule(
              "password assignment",
              Pattern.compile(
                  "(?im)^\\s*[\\w.-]*(?:password|passwd|secret|api[_-]?key|token)[\\w.-]*\\s*[=:]\\s*[\"']?([^\\s\"']{8,})"),
              Risk.HIGH,
              true));

  private record SecretRule(String name, Pattern pattern, Risk risk, boolean entropyChecked) {}

  private SecurityScanner() {}

  /**
   * What the scan found.
   *
   * @param findings every finding, own code first
   * @param ownCode findings in the plugin's own jar ({@code backend/dist}) and resources
   * @param components the bundled libraries
   */
  public record Report(
      List<SecurityFinding> findings,
      List<SecurityFinding> ownCode,
      List<SbomComponent> components) {
    public Report {
      findings = List.copyOf(findings);
      ownCode = List.copyOf(ownCode);
      components = List.copyOf(components);
    }

    /** The highest risk among the findings considered: own code only, or all code when strict. */
    public Risk maxRisk(boolean includeLibraries) {
      return (includeLibraries ? findings : ownCode)
          .stream().map(SecurityFinding::risk).max(Risk::compareTo).orElse(Risk.LOW);
    }

    /**
     * Refuses when a considered finding reaches the threshold.
     *
     * @param includeLibraries whether bundled libraries count (strict) or only the plugin's own
     *     code and files
     */
    public void requireBelow(Risk threshold, boolean includeLibraries) {
      List<SecurityFinding> over =
          (includeLibraries ? findings : ownCode)
              .stream().filter(f -> f.risk().compareTo(threshold) >= 0).toList();
      if (!over.isEmpty()) {
        throw new PackageException(
            PackageException.Reason.SECURITY_RISK,
            over.getFirst().location(),
            "security scan found "
                + over.size()
                + " finding(s) at or above "
                + threshold
                + ": "
                + String.join(
                    "; ", over.stream().limit(5).map(SecurityFinding::describe).toList()));
      }
    }
  }

  /**
   * A bundled library.
   *
   * @param group Maven group id
   * @param artifact Maven artifact id
   * @param version its version
   * @param file its path in the package
   * @param sha256 the jar's SHA-256
   */
  public record SbomComponent(
      String group, String artifact, String version, String file, String sha256) {
    /** The package URL, e.g. {@code pkg:maven/com.google.guava/guava@33.5.0-jre}. */
    public String purl() {
      return "pkg:maven/" + group + "/" + artifact + "@" + version;
    }
  }

  /** Scans a package that a {@link PackageReader} read. */
  public static Report scan(PluginPackage pkg) {
    List<SecurityFinding> own = new ArrayList<>();
    List<SecurityFinding> libs = new ArrayList<>();
    List<SbomComponent> components = new ArrayList<>();
    List<String> permissions = pkg.manifest().permissions();
    for (PackageFile file : pkg.files()) {
      String path = file.path();
      if (path.endsWith(".jar") && path.startsWith("backend/dist/")) {
        scanJar(pkg.file(path), path, permissions, own, null);
      } else if (path.endsWith(".jar") && path.startsWith("backend/lib/")) {
        scanJar(pkg.file(path), path, permissions, libs, components);
      } else if (file.size() <= MAX_TEXT_BYTES) {
        scanText(pkg.file(path), path, own);
      }
    }
    List<SecurityFinding> all = new ArrayList<>(own);
    all.addAll(libs);
    return new Report(all, own, components);
  }

  private static void scanJar(
      Path jar,
      String path,
      List<String> permissions,
      List<SecurityFinding> out,
      List<SbomComponent> sbom) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/versions/")) {
          try (InputStream in = zip.getInputStream(entry)) {
            scanClass(in.readAllBytes(), path, permissions, out);
          }
        } else if (sbom != null
            && name.startsWith("META-INF/maven/")
            && name.endsWith("/pom.properties")) {
          Properties p = new Properties();
          try (InputStream in = zip.getInputStream(entry)) {
            p.load(in);
          }
          sbom.add(
              new SbomComponent(
                  p.getProperty("groupId", "?"),
                  p.getProperty("artifactId", "?"),
                  p.getProperty("version", "?"),
                  path,
                  ChecksumFile.sha256(jar)));
        } else if (!name.endsWith("/")
            && entry.getSize() >= 0
            && entry.getSize() <= MAX_TEXT_BYTES
            && isTextName(name)) {
          try (InputStream in = zip.getInputStream(entry)) {
            scanTextBytes(in.readAllBytes(), path + "!/" + name, out);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      out.add(
          new SecurityFinding(
              Risk.HIGH, "unreadable", path, "jar cannot be scanned: " + e.getMessage()));
    }
  }

  private static boolean isTextName(String name) {
    return name.endsWith(".properties")
        || name.endsWith(".yml")
        || name.endsWith(".yaml")
        || name.endsWith(".json")
        || name.endsWith(".xml")
        || name.endsWith(".env")
        || name.endsWith(".pem")
        || name.endsWith(".key")
        || name.endsWith(".conf")
        || name.endsWith(".txt");
  }

  private static void scanClass(
      byte[] bytes, String jarPath, List<String> permissions, List<SecurityFinding> out) {
    ClassReader reader = new ClassReader(bytes);
    String className = reader.getClassName().replace('/', '.');
    if (reader.getSuperName() != null
        && (reader.getSuperName().equals("java/lang/ClassLoader")
            || reader.getSuperName().equals("java/net/URLClassLoader")
            || reader.getSuperName().equals("java/security/SecureClassLoader"))) {
      out.add(
          new SecurityFinding(
              Risk.HIGH,
              "class-loader",
              className,
              "extends " + reader.getSuperName().replace('/', '.')));
    }
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String method, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
              private int line = -1;

              @Override
              public void visitLineNumber(int l, Label start) {
                line = l;
              }

              @Override
              public void visitMethodInsn(
                  int opcode, String owner, String name, String desc, boolean itf) {
                BytecodeRules.match(owner, name)
                    .ifPresent(
                        rule -> {
                          Risk risk = rule.risk();
                          String detail = owner.replace('/', '.') + "." + name;
                          if (rule.permission().isPresent()
                              && !permissions.contains(rule.permission().get())) {
                            risk =
                                Risk.values()[
                                    Math.min(risk.ordinal() + 1, Risk.CRITICAL.ordinal())];
                            detail += " without permission [" + rule.permission().get() + "]";
                          }
                          out.add(
                              new SecurityFinding(
                                  risk,
                                  rule.category(),
                                  className
                                      + "#"
                                      + method
                                      + (line > 0 ? ":" + line : "")
                                      + " ("
                                      + jarPath
                                      + ")",
                                  detail));
                        });
              }
            };
          }
        },
        ClassReader.SKIP_FRAMES);
  }

  private static void scanText(Path file, String path, List<SecurityFinding> out) {
    try {
      scanTextBytes(Files.readAllBytes(file), path, out);
    } catch (IOException e) {
      out.add(
          new SecurityFinding(Risk.MEDIUM, "unreadable", path, "cannot read: " + e.getMessage()));
    }
  }

  private static void scanTextBytes(byte[] bytes, String path, List<SecurityFinding> out) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    for (SecretRule rule : SECRET_RULES) {
      Matcher m = rule.pattern().matcher(text);
      while (m.find()) {
        if (rule.entropyChecked() && entropy(m.group(1)) < 3.0) {
          continue;
        }
        int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
        out.add(
            new SecurityFinding(
                rule.risk(), "secret", path + ":" + line, rule.name() + " (value not shown)"));
      }
    }
  }

  /** Shannon entropy in bits per character: placeholders like {@code changeme} score low. */
  static double entropy(String s) {
    int[] counts = new int[128];
    int n = 0;
    for (char c : s.toCharArray()) {
      if (c < 128) {
        counts[c]++;
        n++;
      }
    }
    double h = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        h -= p * (Math.log(p) / Math.log(2));
      }
    }
    return h;
  }

  /** The bundled libraries as a CycloneDX 1.5 JSON document. */
  public static String cycloneDx(PluginPackage pkg, Report report) {
    List<java.util.Map<String, Object>> components = new ArrayList<>();
    for (SbomComponent c : report.components()) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("type", "library");
      m.put("group", c.group());
      m.put("name", c.artifact());
      m.put("version", c.version());
      m.put("purl", c.purl());
      m.put("hashes", List.of(java.util.Map.of("alg", "SHA-256", "content", c.sha256())));
      components.add(m);
    }
    java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
    doc.put("bomFormat", "CycloneDX");
    doc.put("specVersion", "1.5");
    doc.put("version", 1);
    doc.put(
        "metadata",
        java.util.Map.of(
            "component",
            java.util.Map.of(
                "type",
                "application",
                "name",
                pkg.manifest().id(),
                "version",
                pkg.manifest().version())));
    doc.put("components", components);
    return Json.MAPPER.writeValueAsString(doc) + "\n";
  }
}
