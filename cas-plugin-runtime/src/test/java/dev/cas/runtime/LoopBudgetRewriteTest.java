package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin code keeps its meaning after the back-edge rewrite, and plugins see the hook class and
 * nothing else of the runtime.
 */
class LoopBudgetRewriteTest {

  @TempDir Path tmp;
  private PluginRuntime runtime;

  @BeforeEach
  void setUp() {
    runtime = PluginRuntime.create(RuntimeOptions.defaults());
  }

  @AfterEach
  void tearDown() {
    runtime.close();
  }

  @Test
  void loopsLambdasInnerClassesAndCatchBlocksBehaveAsCompiled() throws Exception {
    runtime.install(
        new TestPlugins(tmp)
            .build(
                TestPlugins.plugin("shapes")
                    .permissions("http.routes")
                    .main(
                        "test.shapes.Main",
                        """
                        package test.shapes;
                        import dev.cas.plugin.api.*;
                        import java.util.*;
                        import java.util.function.*;
                        import java.util.stream.*;
                        public class Main implements Plugin {
                          interface Counter { int count(int[] xs); }
                          static final class Inner implements Counter {
                            public int count(int[] xs) {
                              int n = 0;
                              outer:
                              for (int i = 0; i < xs.length; i++) {
                                for (int j = 0; j < i; j++) {
                                  if (xs[j] == xs[i]) { continue outer; }
                                }
                                n++;
                              }
                              return n;
                            }
                          }
                          static String work() {
                            StringBuilder out = new StringBuilder();
                            int[] xs = {3, 1, 3, 2, 1, 5};
                            out.append(new Inner().count(xs)).append(',');
                            Counter anon = new Counter() {
                              public int count(int[] a) {
                                int s = 0, i = 0;
                                do { s += a[i]; i++; } while (i < a.length);
                                return s;
                              }
                            };
                            out.append(anon.count(xs)).append(',');
                            IntUnaryOperator fib = n -> {
                              int a = 0, b = 1;
                              while (n-- > 0) { int t = a + b; a = b; b = t; }
                              return a;
                            };
                            out.append(fib.applyAsInt(20)).append(',');
                            int caught = 0;
                            for (int i = 0; i < 10; i++) {
                              try {
                                if (i % 3 == 0) { throw new IllegalStateException("x" + i); }
                                try { Integer.parseInt("n" + i); }
                                finally { caught += 100; }
                              } catch (IllegalStateException e) {
                                caught++;
                              } catch (NumberFormatException e) {
                                caught += 10;
                              }
                            }
                            out.append(caught).append(',');
                            int sw = 0;
                            for (String s : List.of("a", "b", "c", "zz")) {
                              switch (s) {
                                case "a" -> sw += 1;
                                case "b" -> sw += 2;
                                default -> { for (char ch : s.toCharArray()) { sw += ch; } }
                              }
                            }
                            out.append(sw).append(',');
                            out.append(IntStream.rangeClosed(1, 10).filter(i -> i % 2 == 0)
                                .mapToObj(Integer::toString).collect(Collectors.joining("+")));
                            return out.toString();
                          }
                          public void initialize(PluginContext c) {
                            c.routes().register("GET", "/work",
                                r -> HttpRoutes.Response.text(200, work()));
                            c.routes().register("GET", "/see", r -> {
                              StringBuilder seen = new StringBuilder();
                              for (String n : new String[] {"dev.cas.runtime.LoopBudget",
                                  "dev.cas.runtime.PluginMeter", "dev.cas.runtime.ActiveCall"}) {
                                try {
                                  Class.forName(n);
                                  seen.append(n).append(" visible;");
                                } catch (ClassNotFoundException e) {
                                  seen.append(n).append(" hidden;");
                                }
                              }
                              // Calling the hook itself outside a stopped call does nothing.
                              Class.forName("dev.cas.runtime.LoopBudget").getMethod("check").invoke(null);
                              return HttpRoutes.Response.text(200, seen.toString());
                            });
                          }
                        }
                        """)));

    String expected = "4,15,6765,664," + (1 + 2 + 'c' + 'z' + 'z') + ",2+4+6+8+10";
    assertThat(HostProbe.get(runtime, "shapes", "/work")).isEqualTo(expected);
    RouteTable.Match m = runtime.routes().match("shapes", "GET", "/work").orElseThrow();
    assertThat(
            new String(
                runtime.callRoute(m, HostProbe.request("GET", "/work", m.pathParams())).body(),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(expected);
    assertThat(HostProbe.get(runtime, "shapes", "/see"))
        .isEqualTo(
            "dev.cas.runtime.LoopBudget visible;dev.cas.runtime.PluginMeter hidden;"
                + "dev.cas.runtime.ActiveCall hidden;");
  }

  /** Methods with and without loops, for the rewriter. */
  static final class Shapes {
    private Shapes() {}

    static int straight(int x) {
      return x > 0 ? x : -x;
    }

    static int loop(int n) {
      int s = 0;
      while (n-- > 0) {
        s++;
      }
      return s;
    }

    static int nested(int n) {
      int s = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          s += i ^ j;
        }
      }
      return s;
    }
  }

  @Test
  void rewriterAddsOneCheckPerBackEdgeAndNoneToStraightCode() throws Exception {
    byte[] original;
    try (var in =
        Shapes.class
            .getClassLoader()
            .getResourceAsStream(Shapes.class.getName().replace('.', '/') + ".class")) {
      original = in.readAllBytes();
    }
    java.util.Map<String, Integer> checks = new java.util.TreeMap<>();
    new org.objectweb.asm.ClassReader(BudgetRewriter.rewrite(original))
        .accept(
            new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
              @Override
              public org.objectweb.asm.MethodVisitor visitMethod(
                  int access, String name, String desc, String sig, String[] ex) {
                checks.put(name, 0);
                return new org.objectweb.asm.MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                  @Override
                  public void visitMethodInsn(
                      int op, String owner, String m, String d, boolean itf) {
                    if (owner.equals("dev/cas/runtime/LoopBudget") && m.equals("check")) {
                      checks.merge(name, 1, Integer::sum);
                    }
                  }
                };
              }
            },
            0);
    assertThat(checks)
        .containsEntry("straight", 0)
        .containsEntry("loop", 1)
        .containsEntry("nested", 2);
    // A class without loops is defined byte for byte as compiled.
    byte[] noLoops;
    try (var in =
        HostProbe.class
            .getClassLoader()
            .getResourceAsStream(PluginUsage.class.getName().replace('.', '/') + ".class")) {
      noLoops = in.readAllBytes();
    }
    assertThat(BudgetRewriter.rewrite(noLoops)).isSameAs(noLoops);
  }
}
