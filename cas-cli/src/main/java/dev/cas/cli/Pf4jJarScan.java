package dev.cas.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What a PF4J plugin jar's classes hold that matters for its migration, read with ASM (no class is
 * loaded): its extensions ({@code @Extension} classes and the entries of PF4J's {@code
 * META-INF/extensions.idx}), the extension points it declares, the constructors of its plugin class
 * and the newest class file version.
 */
final class Pf4jJarScan {

  static final String EXTENSIONS_INDEX = "META-INF/extensions.idx";
  private static final String EXTENSION = "Lorg/pf4j/Extension;";
  private static final String EXTENSION_POINT = "org/pf4j/ExtensionPoint";
  private static final String PF4J_PLUGIN = "org/pf4j/Plugin";

  /** How the plugin class can be created. */
  enum Constructor {
    /** {@code public Plugin()}, PF4J 3's way. */
    NO_ARGUMENT,
    /** Only {@code public Plugin(PluginWrapper)}, deprecated since PF4J 3.0. */
    PLUGIN_WRAPPER
  }

  /** An extension and the extension points it implements. */
  record Extension(String className, List<String> points) {
    Extension {
      points = List.copyOf(points);
    }
  }

  private record ClassInfo(
      String name,
      String superName,
      List<String> interfaces,
      boolean isInterface,
      boolean annotated,
      List<String> annotatedPoints,
      Set<String> publicConstructors) {}

  private final Map<String, ClassInfo> classes = new HashMap<>();
  private final Set<String> indexed = new LinkedHashSet<>();
  private int newestMajor;

  /** Adds one class file of the jar. */
  void addClass(byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    newestMajor = Math.max(newestMajor, reader.readUnsignedShort(6));
    Collector collector = new Collector();
    reader.accept(collector, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG);
    ClassInfo info = collector.info();
    classes.put(info.name, info);
  }

  /** Adds PF4J's {@code META-INF/extensions.idx}: one class name a line, {@code #} comments. */
  void addExtensionsIndex(byte[] bytes) {
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      String name = line.trim();
      if (!name.isEmpty() && !name.startsWith("#")) {
        indexed.add(name.replace('.', '/'));
      }
    }
  }

  /** The Java feature version the newest class file needs (21 when there is none older). */
  int javaFeature() {
    return Math.max(21, newestMajor - 44);
  }

  /**
   * How the plugin class is created.
   *
   * @throws MigrationException when it is not in the jar, is no PF4J plugin, or has neither
   *     constructor
   */
  Constructor pluginConstructor(String pluginClass) {
    String name = pluginClass.replace('.', '/');
    ClassInfo info = classes.get(name);
    if (info == null) {
      throw new MigrationException("the PF4J plugin class [" + pluginClass + "] is not in the jar");
    }
    if (!extendsPf4jPlugin(info)) {
      throw new MigrationException(
          "the PF4J plugin class [" + pluginClass + "] does not extend org.pf4j.Plugin");
    }
    if (info.publicConstructors.contains("()V")) {
      return Constructor.NO_ARGUMENT;
    }
    if (info.publicConstructors.contains("(Lorg/pf4j/PluginWrapper;)V")) {
      return Constructor.PLUGIN_WRAPPER;
    }
    throw new MigrationException(
        "the PF4J plugin class ["
            + pluginClass
            + "] has no public constructor PF4J can call (none or one PluginWrapper argument)");
  }

  /** The extensions: classes annotated {@code @Extension} and those in the index, by name. */
  List<Extension> extensions() {
    Set<String> names = new LinkedHashSet<>();
    classes.values().stream().filter(c -> c.annotated).map(c -> c.name).forEach(names::add);
    names.addAll(indexed);
    Map<String, Extension> sorted = new TreeMap<>();
    for (String name : names) {
      ClassInfo info = classes.get(name);
      List<String> points = new ArrayList<>();
      if (info != null && !info.annotatedPoints.isEmpty()) {
        points.addAll(info.annotatedPoints);
      } else if (info != null) {
        pointsOf(info, points);
      }
      sorted.put(
          dotted(name), new Extension(dotted(name), points.stream().map(n -> dotted(n)).toList()));
    }
    return List.copyOf(sorted.values());
  }

  /** The extension points the jar declares itself (interfaces extending {@code ExtensionPoint}). */
  List<String> extensionPoints() {
    return classes.values().stream()
        .filter(c -> c.isInterface && isExtensionPoint(c.name))
        .map(c -> dotted(c.name))
        .sorted()
        .toList();
  }

  /** Extension classes named by the index that the jar does not hold. */
  List<String> missingIndexed() {
    return indexed.stream().filter(n -> !classes.containsKey(n)).map(Pf4jJarScan::dotted).toList();
  }

  private boolean extendsPf4jPlugin(ClassInfo info) {
    ClassInfo current = info;
    for (int depth = 0; depth < 64 && current != null; depth++) {
      if (PF4J_PLUGIN.equals(current.superName)) {
        return true;
      }
      current = classes.get(current.superName);
    }
    return false;
  }

  /** The extension points a class implements, directly or through its supertypes. */
  private void pointsOf(ClassInfo info, List<String> points) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(info.interfaces);
    Optional.ofNullable(classes.get(info.superName)).ifPresent(s -> todo.addAll(s.interfaces));
    while (!todo.isEmpty()) {
      String name = todo.remove(0);
      if (!seen.add(name)) {
        continue;
      }
      ClassInfo type = classes.get(name);
      if (isExtensionPoint(name) || type == null) {
        // A type outside the jar is most likely the host application's extension point.
        if (!name.equals(EXTENSION_POINT)) {
          points.add(name);
        }
      } else {
        todo.addAll(type.interfaces);
      }
    }
  }

  private boolean isExtensionPoint(String name) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(List.of(name));
    while (!todo.isEmpty()) {
      String n = todo.remove(0);
      if (n.equals(EXTENSION_POINT)) {
        return true;
      }
      ClassInfo type = classes.get(n);
      if (seen.add(n) && type != null) {
        todo.addAll(type.interfaces);
      }
    }
    return false;
  }

  private static String dotted(String internalName) {
    return internalName.replace('/', '.');
  }

  /** Reads one class's name, supertypes, {@code @Extension} and public constructors. */
  private static final class Collector extends ClassVisitor {
    private String name;
    private String superName;
    private List<String> interfaces = List.of();
    private boolean isInterface;
    private boolean annotated;
    private final List<String> points = new ArrayList<>();
    private final Set<String> constructors = new LinkedHashSet<>();

    Collector() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      this.name = name;
      this.superName = superName;
      this.interfaces = interfaces == null ? List.of() : List.of(interfaces);
      this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      if (!EXTENSION.equals(descriptor)) {
        return null;
      }
      annotated = true;
      return new AnnotationVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitArray(String attribute) {
          if (!"points".equals(attribute)) {
            return null;
          }
          return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String unused, Object value) {
              if (value instanceof Type type) {
                points.add(type.getInternalName());
              }
            }
          };
        }
      };
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String method, String descriptor, String signature, String[] exceptions) {
      if (method.equals("<init>") && (access & Opcodes.ACC_PUBLIC) != 0) {
        constructors.add(descriptor);
      }
      return null;
    }

    ClassInfo info() {
      return new ClassInfo(
          name,
          superName,
          interfaces,
          isInterface,
          annotated,
          List.copyOf(points),
          Set.copyOf(constructors));
    }
  }
}
