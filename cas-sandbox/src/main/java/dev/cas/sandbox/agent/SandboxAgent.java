package dev.cas.sandbox.agent;

import dev.cas.sandbox.checker.PolicyChecker;
import dev.cas.sandbox.checker.TimerTasks;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimerTask;
import java.util.TreeSet;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * The agent's entry point ({@code Premain-Class}). It fails the JVM's start rather than run a host
 * that believes it is sandboxed when it is not: the checker must come from the boot class path and
 * every guarded JDK class must have been rewritten.
 */
public final class SandboxAgent {

  private SandboxAgent() {}

  /** Called by the JVM before {@code main} when started with {@code -javaagent}. */
  public static void premain(String args, Instrumentation inst) throws Exception {
    requireBootChecker();
    openJavaBaseToChecker(inst);
    install(inst);
  }

  /**
   * Threat: a checker loaded by the application loader would be a second, plugin-reachable copy
   * that java.base cannot even see. The agent jar's Boot-Class-Path must have put it on the boot
   * class path; its classes are loaded and initialized now, before any JDK method calls them (a
   * first load from inside a guarded method could recurse).
   */
  private static void requireBootChecker() throws ClassNotFoundException {
    if (PolicyChecker.class.getClassLoader() != null) {
      throw new IllegalStateException(
          "the sandbox checker was loaded by "
              + PolicyChecker.class.getClassLoader()
              + ", not the boot loader: is cas-sandbox-checker.jar beside the agent jar?");
    }
    for (String name :
        List.of(
            "PolicyChecker",
            "PolicyRegistry",
            "Attribution",
            "Attribution$Walk",
            "Attribution$CallerOfGuarded",
            "Attribution$ImmediateCaller",
            "TaskContext",
            "TaskContext$Node",
            "TaskContext$TaskKey",
            "TaskContext$InContext",
            "TaskContext$CallableInContext",
            "TaskContext$Running",
            "TimerTasks",
            "TimerTasks$WeakKey",
            "TaskHook",
            "HostClassPath",
            "HostClassPath$Requester",
            "JvmStateChecker",
            "PluginPolicy",
            "PluginPolicy$Network",
            "PluginPolicy$HostPattern",
            "PluginPermissionDenied",
            "PluginPermissionDenied$Operation",
            "FilePaths")) {
      Class.forName(PolicyChecker.class.getPackageName() + "." + name, true, null);
    }
  }

  /** The modules whose classes the agent rewrites: they must read the checker's module. */
  private static final List<String> GUARDED_MODULES =
      List.of("java.base", "java.management", "java.logging", "jdk.jfr", "java.desktop");

  /** A named module reads no unnamed module by default; its rewritten methods call the checker. */
  private static void openJavaBaseToChecker(Instrumentation inst) {
    for (String name : GUARDED_MODULES) {
      Module module =
          ModuleLayer.boot()
              .findModule(name)
              .orElseThrow(
                  () -> new IllegalStateException("guarded JDK module [" + name + "] not found"));
      inst.redefineModule(
          module, Set.of(PolicyChecker.class.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
    }
  }

  private static void install(Instrumentation inst) {
    Map<String, List<GuardedMethods>> byType = new LinkedHashMap<>();
    for (GuardedMethods g : GuardedMethods.all()) {
      byType.computeIfAbsent(g.type(), t -> new ArrayList<>()).add(g);
    }
    Set<String> transformed = new TreeSet<>();
    List<Throwable> errors = new ArrayList<>();
    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
            .ignore(ElementMatchers.none())
            .with(new Recorder(transformed, errors));
    for (Map.Entry<String, List<GuardedMethods>> e : byType.entrySet()) {
      builder =
          builder
              .type(ElementMatchers.named(e.getKey()))
              .transform(
                  (b, type, loader, module, domain) -> {
                    DynamicType.Builder<?> result = b;
                    for (GuardedMethods g : e.getValue()) {
                      result =
                          result.visit(
                              g.advice() == Guards.TimerRun.class
                                  ? timerRun().on(g.methods())
                                  : Advice.to(g.advice()).on(g.methods()));
                    }
                    return result;
                  });
    }
    // The JDK classes are loaded before they are rewritten, so a rewrite never meets a class that
    // is half loaded (ClassCircularityError).
    for (String type : byType.keySet()) {
      Class<?> loaded;
      try {
        loaded = Class.forName(type, false, null);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("guarded JDK class [" + type + "] not found", e);
      }
      requireGuardedMethods(loaded, byType.get(type));
    }
    builder.installOn(inst);
    if (!errors.isEmpty()) {
      IllegalStateException failure =
          new IllegalStateException("the sandbox agent could not rewrite the JDK: " + errors);
      errors.forEach(failure::addSuppressed);
      throw failure;
    }
    Set<String> missing = new TreeSet<>(byType.keySet());
    missing.removeAll(transformed);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the sandbox agent did not rewrite " + missing);
    }
  }

  /**
   * The timer thread's {@code task.run()} becomes {@code TimerTasks.runTimerTask(task)}: a {@code
   * TimerTask} is the caller's object (no wrapper can stand in for it in the timer's queue), so the
   * context is restored where the timer runs it.
   */
  private static MemberSubstitution timerRun() {
    try {
      return MemberSubstitution.strict()
          .method(
              ElementMatchers.named("run")
                  .and(ElementMatchers.takesArguments(0))
                  .and(ElementMatchers.isDeclaredBy(TimerTask.class)))
          .replaceWith(TimerTasks.class.getMethod("runTimerTask", TimerTask.class));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("the sandbox checker has no runTimerTask", e);
    }
  }

  /**
   * Threat: a JDK update renames or re-signs a guarded method; the class would still be rewritten,
   * with no advice in it, and the host would run unguarded. Each entry must match a method.
   */
  private static void requireGuardedMethods(Class<?> type, List<GuardedMethods> guards) {
    TypeDescription description = TypeDescription.ForLoadedType.of(type);
    for (GuardedMethods g : guards) {
      if (description.getDeclaredMethods().filter(g.methods()).isEmpty()) {
        throw new IllegalStateException(
            "guarded JDK method of ["
                + type.getName()
                + "] not found for "
                + g.advice().getSimpleName()
                + ": does this JDK match the agent?");
      }
    }
  }

  /** Records what was rewritten and what failed, to check after installing. */
  private record Recorder(Set<String> transformed, List<Throwable> errors)
      implements AgentBuilder.Listener {

    @Override
    public void onDiscovery(String name, ClassLoader l, JavaModule m, boolean loaded) {}

    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader l,
        JavaModule m,
        boolean loaded,
        DynamicType dynamicType) {
      synchronized (transformed) {
        transformed.add(type.getName());
      }
    }

    @Override
    public void onIgnored(TypeDescription type, ClassLoader l, JavaModule m, boolean loaded) {}

    @Override
    public void onError(String name, ClassLoader l, JavaModule m, boolean loaded, Throwable t) {
      synchronized (errors) {
        errors.add(t);
      }
    }

    @Override
    public void onComplete(String name, ClassLoader l, JavaModule m, boolean loaded) {}
  }
}
