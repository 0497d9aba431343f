package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.plugin.api.KeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uninstalling a plugin releases everything it registered through its context: routes, event
 * subscriptions, tasks and periodic tasks; then its class loader is collected.
 */
class UnloadTest {

  @TempDir Path tmp;
  private TestPlugins plugins;
  private HostServices.InMemory services;
  private PluginRuntime runtime;

  @BeforeEach
  void setUp() {
    plugins = new TestPlugins(tmp);
    services = new HostServices.InMemory();
    runtime = PluginRuntime.create(RuntimeOptions.defaults().withServices(services));
  }

  @AfterEach
  void tearDown() {
    runtime.close();
  }

  private static final String WORKER =
      """
      package test.worker;
      import dev.cas.plugin.api.*;
      import java.util.concurrent.TimeUnit;
      import java.util.concurrent.atomic.AtomicLong;
      public class Main implements Plugin {
        private PluginContext c;
        public void initialize(PluginContext c) {
          this.c = c;
          c.routes().register("GET", "/ping", r -> HttpRoutes.Response.text(200, "pong"));
          c.events().subscribe("host:plugin:*", e -> {});
          c.events().subscribe("plugin:worker:*", e -> {});
          c.storage().put("installed", "yes");
        }
        public void activate() {
          c.tasks().executor().submit(() -> { Thread.sleep(Long.MAX_VALUE); return null; });
          AtomicLong ticks = new AtomicLong();
          c.tasks().scheduler().scheduleAtFixedRate(
              () -> c.storage().put("ticks", Long.toString(ticks.incrementAndGet())), 0, 5, TimeUnit.MILLISECONDS);
        }
      }
      """;

  @Test
  void uninstallReleasesRoutesSubscriptionsTasksAndTheClassLoader() throws Exception {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("worker")
                .main("test.worker.Main", WORKER)
                .permissions("http.routes", "events.subscribe", "storage.read", "storage.write")));
    KeyValueStore storage = services.storage("worker");
    HostProbe.awaitUntil("the periodic task ticks", () -> storage.get("ticks").isPresent());
    HostProbe.awaitUntil(
        "the task and the scheduler run",
        () ->
            HostProbe.pluginThreads("worker")
                .containsAll(List.of("plugin-worker-task-1", "plugin-worker-scheduler-2")));
    assertThat(runtime.routes().hasRoutes("worker")).isTrue();
    assertThat(runtime.events().subscriptions("worker")).isEqualTo(2);
    assertThat(storage.get("installed")).contains("yes");

    assertThat(runtime.uninstall("worker", false)).containsExactly("worker");

    assertThat(runtime.routes().hasRoutes("worker")).isFalse();
    assertThat(runtime.routes().size()).isZero();
    assertThat(runtime.events().subscriptions("worker")).isZero();
    HostProbe.awaitUntil(
        "no thread of plugin [worker] runs", () -> HostProbe.pluginThreads("worker").isEmpty());
    String ticks = storage.get("ticks").orElseThrow();
    Thread.sleep(100);
    assertThat(storage.get("ticks"))
        .as("ticks after the periodic task was stopped")
        .contains(ticks);
    assertThat(runtime.leakDetector().check(Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void deactivateStopsTasksAndActivateRunsThemAgain() throws Exception {
    runtime.install(
        plugins.build(
            TestPlugins.plugin("worker")
                .main("test.worker.Main", WORKER)
                .permissions("http.routes", "events.subscribe", "storage.read", "storage.write")));
    HostProbe.awaitUntil("the scheduler runs", () -> !HostProbe.pluginThreads("worker").isEmpty());

    runtime.deactivate("worker", false);
    HostProbe.awaitUntil(
        "no thread of plugin [worker] runs", () -> HostProbe.pluginThreads("worker").isEmpty());
    assertThat(runtime.routes().hasRoutes("worker")).isFalse();

    runtime.activate("worker");
    HostProbe.awaitUntil(
        "the task runs again",
        () ->
            HostProbe.pluginThreads("worker").stream()
                .anyMatch(n -> n.startsWith("plugin-worker-task-")));
    assertThat(HostProbe.get(runtime, "worker", "/ping")).isEqualTo("pong");
  }
}
