package dev.cas.runtime;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts {@code LoopBudget.check()} before every backward jump (a loop's back-edge) of a class, as
 * the class is defined by its plugin's loader. Threat: a plugin call that loops forever — even one
 * that catches every {@code Throwable} in the loop — would hold its thread and CPU after its
 * deadline; with the check, the loop throws at its next back-edge once its call was stopped.
 *
 * <p>A jump is backward when its target label was already visited in this method, which in one pass
 * over javac's (and other compilers') layout finds every loop. The inserted call takes and leaves
 * nothing on the operand stack, so frames and max stack stay as they were and no class needs
 * loading to recompute them.
 */
final class BudgetRewriter {

  static final String HOOK_OWNER = LoopBudget.class.getName().replace('.', '/');
  static final String HOOK_NAME = "check";

  private BudgetRewriter() {}

  /** The class with a budget check at each back-edge; the input as is when it has no loops. */
  static byte[] rewrite(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    int[] inserted = {0};
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            return next == null ? null : new BackEdges(next, inserted);
          }
        },
        0);
    return inserted[0] == 0 ? classFile : writer.toByteArray();
  }

  private static final class BackEdges extends MethodVisitor {
    private final Set<Label> seen = new HashSet<>();
    private final int[] inserted;

    BackEdges(MethodVisitor next, int[] inserted) {
      super(Opcodes.ASM9, next);
      this.inserted = inserted;
    }

    @Override
    public void visitLabel(Label label) {
      seen.add(label);
      super.visitLabel(label);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      if (seen.contains(label) && opcode != Opcodes.JSR) {
        check();
      }
      super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
      if (anySeen(dflt, labels)) {
        check();
      }
      super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
      if (anySeen(dflt, labels)) {
        check();
      }
      super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    private boolean anySeen(Label dflt, Label[] labels) {
      if (seen.contains(dflt)) {
        return true;
      }
      for (Label l : labels) {
        if (seen.contains(l)) {
          return true;
        }
      }
      return false;
    }

    private void check() {
      inserted[0]++;
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK_OWNER, HOOK_NAME, "()V", false);
    }
  }
}
