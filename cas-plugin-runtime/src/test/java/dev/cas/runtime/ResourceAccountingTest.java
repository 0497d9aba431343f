package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.PluginState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer 3: every route call is accounted to its plugin and stopped at its deadline or budget, even
 * when the plugin's loop swallows every {@code Throwable}; repeated offenders are deactivated.
 */
class ResourceAccountingTest {

  /** Routes: spin forever swallowing everything; allocate forever; busy work; sleep; echo. */
  static final String HOG =
      """
      package test.hog;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        static volatile long sink;
        public void initialize(PluginContext c) {
          c.routes().register("GET", "/spin", r -> {
            while (true) {
              try {
                sink++;
              } catch (Throwable t) {
                sink--;
              }
            }
          });
          c.routes().register("GET", "/spin-nested", r -> {
            for (;;) {
              try {
                for (int i = 0; ; i++) {
                  try { sink += i; } catch (Throwable t) { }
                }
              } catch (Throwable t) {
              }
            }
          });
          c.routes().register("GET", "/allocate", r -> {
            while (true) {
              try {
                byte[] b = new byte[1 << 20];
                sink += b.length;
              } catch (Throwable t) {
              }
            }
          });
          c.routes().register("GET", "/busy", r -> {
            long x = 0;
            for (int i = 0; i < 20_000_000; i++) { x += i % 7; }
            byte[][] keep = new byte[16][];
            for (int i = 0; i < keep.length; i++) { keep[i] = new byte[1 << 16]; }
            return HttpRoutes.Response.text(200, "busy " + x + " " + keep.length);
          });
          c.routes().register("GET", "/sleep", r -> {
            Thread.sleep(60_000);
            return HttpRoutes.Response.text(200, "woke");
          });
          c.routes().register("GET", "/hello", r -> HttpRoutes.Response.text(200, "hello"));
        }
      }
      """;

  @TempDir Path tmp;
  private TestPlugins plugins;
  private PluginRuntime runtime;

  @BeforeEach
  void setUp() {
    plugins = new TestPlugins(tmp);
  }

  @AfterEach
  void tearDown() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private void start(CallLimits limits) {
    runtime = PluginRuntime.create(RuntimeOptions.defaults().withCalls(limits));
  }

  private static CallLimits limits(long deadlineMillis) {
    return CallLimits.defaults().withRouteDeadline(Duration.ofMillis(deadlineMillis));
  }

  private void installHog(String id, String sandbox) {
    TestPlugins.Spec spec =
        TestPlugins.plugin(id).permissions("http.routes").main("test.hog.Main", HOG);
    if (sandbox != null) {
      spec.sandbox(sandbox);
    }
    runtime.install(plugins.build(spec));
  }

  private HttpRoutes.Response call(String id, String path) {
    RouteTable.Match m = runtime.routes().match(id, "GET", path).orElseThrow();
    return runtime.callRoute(m, HostProbe.request("GET", path, m.pathParams()));
  }

  private static String text(HttpRoutes.Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** Waits until no call of the plugin is in flight (its stopped thread has ended). */
  private void awaitIdle(String id) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (runtime.usage(id).orElseThrow().inFlight() > 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(runtime.usage(id).orElseThrow().inFlight()).as("calls in flight").isZero();
  }

  @Test
  void spinningRouteThatSwallowsEveryThrowableIsStoppedAtItsDeadline() throws Exception {
    start(limits(300));
    installHog("hog", null);
    installHog("neighbour", null);

    for (String path : List.of("/spin", "/spin-nested")) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> call("hog", path))
          .isInstanceOfSatisfying(
              PluginRuntimeException.class,
              e -> assertThat(e.reason()).isEqualTo(PluginRuntimeException.Reason.CALL_DEADLINE))
          .hasMessage(
              "plugin [hog] route call passed its deadline of 300 ms and was stopped (GET "
                  + path
                  + ")");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      // The loop really ends: its thread leaves, not just the caller.
      awaitIdle("hog");
    }
    assertThat(text(call("neighbour", "/hello"))).isEqualTo("hello");
    PluginUsage usage = runtime.usage("hog").orElseThrow();
    assertThat(usage.timeouts()).isEqualTo(2);
    assertThat(usage.errors()).isEqualTo(2);
    assertThat(usage.cpuNanos()).isPositive();
    assertThat(runtime.find("hog").orElseThrow().state()).isEqualTo(PluginState.ACTIVE);
  }

  @Test
  void blockedRouteIsInterruptedAtItsDeadline() throws Exception {
    start(limits(200));
    installHog("sleeper", null);

    assertThatThrownBy(() -> call("sleeper", "/sleep"))
        .hasMessage(
            "plugin [sleeper] route call passed its deadline of 200 ms and was stopped (GET /sleep)");
    awaitIdle("sleeper");
  }

  @Test
  void allocatingRouteIsStoppedOverItsMemoryBudget() throws Exception {
    start(limits(20_000));
    installHog("hungry", "{\"memoryLimit\": \"64Mi\"}");

    long t0 = System.nanoTime();
    assertThatThrownBy(() -> call("hungry", "/allocate"))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(PluginRuntimeException.Reason.CALL_OVER_BUDGET))
        .hasMessageStartingWith("plugin [hungry] route call allocated ")
        .hasMessageEndingWith(
            " bytes, over its budget of 67108864 bytes (sandbox.memoryLimit); the call was stopped"
                + " (GET /allocate)");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    awaitIdle("hungry");
    PluginUsage usage = runtime.usage("hungry").orElseThrow();
    assertThat(usage.overBudget()).isEqualTo(1);
    assertThat(usage.allocatedBytes()).isGreaterThan(64L << 20);
    assertThat(usage.bytesPerCall()).hasValue(64L << 20);
  }

  @Test
  void spinningRouteIsStoppedOverItsCpuBudget() throws Exception {
    // 100m × 2 s = 200 ms of CPU per call, well before the 2 s deadline.
    start(limits(2_000));
    installHog("burner", "{\"cpuLimit\": \"100m\"}");

    assertThatThrownBy(() -> call("burner", "/spin"))
        .isInstanceOfSatisfying(
            PluginRuntimeException.class,
            e -> assertThat(e.reason()).isEqualTo(PluginRuntimeException.Reason.CALL_OVER_BUDGET))
        .hasMessageStartingWith("plugin [burner] route call used ")
        .hasMessageEndingWith(
            " ms CPU, over its budget of 200 ms (sandbox.cpuLimit × route deadline); the call"
                + " was stopped (GET /spin)");
    awaitIdle("burner");
    assertThat(runtime.usage("burner").orElseThrow().timeouts()).isZero();
  }

  @Test
  void busyCallAddsCpuTimeAndAllocationToItsPlugin() throws Exception {
    start(limits(20_000));
    installHog("worker", null);
    PluginUsage before = runtime.usage("worker").orElseThrow();

    assertThat(text(call("worker", "/busy"))).startsWith("busy ");

    PluginUsage after = runtime.usage("worker").orElseThrow();
    assertThat(after.calls()).isEqualTo(before.calls() + 1);
    assertThat(after.cpuNanos() - before.cpuNanos()).isGreaterThan(1_000_000);
    assertThat(after.allocatedBytes() - before.allocatedBytes()).isGreaterThan(16L << 16);
    assertThat(after.wallNanos()).isGreaterThan(before.wallNanos());
    assertThat(after.errors()).isZero();
  }

  @Test
  void callsBeyondTheConcurrencyLimitAreRefused() throws Exception {
    start(limits(5_000).withMaxConcurrentCalls(2));
    installHog("narrow", null);
    List<Future<?>> sleepers = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch started = new CountDownLatch(2);
      for (int i = 0; i < 2; i++) {
        sleepers.add(
            pool.submit(
                () -> {
                  started.countDown();
                  return call("narrow", "/sleep");
                }));
      }
      started.await();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (runtime.usage("narrow").orElseThrow().inFlight() < 2 && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      assertThatThrownBy(() -> call("narrow", "/hello"))
          .isInstanceOfSatisfying(
              PluginRuntimeException.class,
              e -> assertThat(e.reason()).isEqualTo(PluginRuntimeException.Reason.CALL_REJECTED))
          .hasMessage(
              "plugin [narrow] has 2 calls in flight already, its maximum; GET /hello refused,"
                  + " try again later");
      assertThat(runtime.usage("narrow").orElseThrow().rejected()).isEqualTo(1);
      runtime.deactivate("narrow", false);
      sleepers.forEach(f -> f.cancel(true));
    }
  }

  @Test
  void repeatedOffenderIsDeactivatedWithTheReason() throws Exception {
    start(limits(200));
    installHog("offender", null);
    AtomicReference<dev.cas.plugin.api.EventBus.Event> inactive = new AtomicReference<>();
    CountDownLatch seen = new CountDownLatch(1);
    runtime
        .events()
        .subscribe(
            "host",
            "host:plugin:inactive",
            e -> {
              inactive.set(e);
              seen.countDown();
            });

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> call("offender", "/spin"))
          .isInstanceOf(PluginRuntimeException.class);
    }

    assertThat(seen.await(10, TimeUnit.SECONDS)).isTrue();
    PluginInfo info = runtime.find("offender").orElseThrow();
    assertThat(info.state()).isEqualTo(PluginState.INACTIVE);
    String reason =
        "deactivated by the host: 3 deadline kills or budget breaches within 300 s; last: plugin"
            + " [offender] route call passed its deadline of 200 ms and was stopped";
    assertThat(info.failure()).hasValue(reason);
    assertThat(inactive.get().payload())
        .containsEntry("reason", reason)
        .containsEntry("budget", true);
    assertThat(runtime.routes().match("offender", "GET", "/hello")).isEmpty();

    // An operator may activate it again; its strikes start over.
    runtime.activate("offender");
    assertThat(runtime.find("offender").orElseThrow().failure()).isEmpty();
    assertThat(runtime.usage("offender").orElseThrow().strikes()).isZero();
    assertThat(text(call("offender", "/hello"))).isEqualTo("hello");
  }

  @Test
  void lifecycleAndTaskCallsAreAccountedAndTasksStopWhenThePluginStops() throws Exception {
    start(limits(1_000));
    runtime.install(
        plugins.build(
            TestPlugins.plugin("tasker")
                .main(
                    "test.tasker.Main",
                    """
                    package test.tasker;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      static volatile long sink;
                      PluginContext c;
                      public void initialize(PluginContext c) { this.c = c; }
                      public void activate() {
                        c.tasks().executor().submit(() -> {
                          while (true) { try { sink++; Thread.sleep(1); } catch (Throwable t) { } }
                        });
                      }
                    }
                    """)));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (runtime.usage("tasker").orElseThrow().inFlight() < 1 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(runtime.usage("tasker").orElseThrow().inFlight()).isEqualTo(1);
    // constructor, initialize and activate so far
    assertThat(runtime.usage("tasker").orElseThrow().calls()).isEqualTo(3);

    runtime.deactivate("tasker", false);

    awaitIdle("tasker");
    // plus deactivate and the task, which ended once told to stop
    PluginUsage usage = runtime.usage("tasker").orElseThrow();
    assertThat(usage.calls()).isEqualTo(5);
    assertThat(usage.errors()).isEqualTo(1);
  }

  @Test
  void spinningEventHandlerIsStoppedAtTheDeadlineAndAccounted() throws Exception {
    start(limits(300));
    runtime.install(
        plugins.build(
            TestPlugins.plugin("listener")
                .permissions("events.subscribe")
                .main(
                    "test.listener.Main",
                    """
                    package test.listener;
                    import dev.cas.plugin.api.*;
                    public class Main implements Plugin {
                      static volatile long sink;
                      public void initialize(PluginContext c) {
                        c.events().subscribe("test:spin", e -> {
                          while (true) { try { sink++; } catch (Throwable t) { } }
                        });
                      }
                    }
                    """)));
    long callsBefore = runtime.usage("listener").orElseThrow().calls();

    runtime
        .events()
        .publish(
            new dev.cas.plugin.api.EventBus.Event(
                "test:spin", "host", java.util.Map.of(), System.currentTimeMillis()));

    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (runtime.usage("listener").orElseThrow().timeouts() < 1 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    awaitIdle("listener");
    PluginUsage usage = runtime.usage("listener").orElseThrow();
    assertThat(usage.timeouts()).isEqualTo(1);
    assertThat(usage.calls()).isEqualTo(callsBefore + 1);
    assertThat(usage.cpuNanos()).isPositive();
  }

  @Test
  void repeatedAllocationBudgetBreachesDeactivateThePlugin() throws Exception {
    start(limits(20_000));
    installHog("glutton", "{\"memoryLimit\": \"32Mi\"}");

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> call("glutton", "/allocate"))
          .isInstanceOfSatisfying(
              PluginRuntimeException.class,
              e ->
                  assertThat(e.reason()).isEqualTo(PluginRuntimeException.Reason.CALL_OVER_BUDGET));
      awaitIdle("glutton");
    }

    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (runtime.find("glutton").orElseThrow().state() == PluginState.ACTIVE
        && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    PluginInfo info = runtime.find("glutton").orElseThrow();
    assertThat(info.state()).isEqualTo(PluginState.INACTIVE);
    assertThat(info.failure().orElseThrow())
        .startsWith(
            "deactivated by the host: 3 deadline kills or budget breaches within 300 s; last:"
                + " plugin [glutton] route call allocated ")
        .endsWith(" bytes, over its budget of 33554432 bytes (sandbox.memoryLimit)");
    assertThat(runtime.usage("glutton").orElseThrow().overBudget()).isEqualTo(3);
  }
}
