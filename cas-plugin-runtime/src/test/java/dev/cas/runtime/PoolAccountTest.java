package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The runtime's side of pool work, on a real meter (the sandbox agent's hook calls {@link
 * PoolAccount#starting}/{@link PoolAccount#ended} on the worker; here the test's threads do): runs
 * are measured and counted, refused while closed, stopped and interrupted at close, and a run
 * inline in a call is not measured twice.
 */
class PoolAccountTest {

  private final PluginMeter meter =
      new PluginMeter(
          "pooled",
          CallLimits.defaults(),
          new CallBudget(OptionalLong.empty(), OptionalLong.empty()),
          (m, why) -> {});

  @Test
  void aRunIsMeasuredOnItsThreadAndCharged() {
    PoolAccount.Task task = meter.pool().starting();
    assertThat(task).isNotNull();
    long sum = 0;
    for (int i = 0; i < 2_000_000; i++) {
      sum += Integer.toString(i).length();
    }
    assertThat(sum).isPositive();
    meter.pool().ended(task);

    PluginUsage usage = meter.usage();
    assertThat(usage.poolTasks()).isEqualTo(1);
    assertThat(usage.poolAllocatedBytes()).isPositive();
    assertThat(usage.poolCancelled()).isZero();
    assertThat(usage.calls()).as("pool runs are not calls").isZero();
    assertThat(LoopBudget.current()).as("unbound after the run").isNull();
  }

  @Test
  void aClosedAccountRefusesAndCountsUntilOpenedAgain() {
    meter.pool().close("the plugin stops");
    assertThat(meter.pool().starting()).isNull();
    assertThat(meter.pool().starting()).isNull();
    assertThat(meter.usage().poolCancelled()).isEqualTo(2);

    meter.pool().open();
    PoolAccount.Task task = meter.pool().starting();
    assertThat(task).isNotNull();
    meter.pool().ended(task);
    assertThat(meter.usage().poolTasks()).isEqualTo(1);
  }

  @Test
  void closingStopsARunningTaskWhoseInterruptDoesNotOutliveIt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<String> seen = new AtomicReference<>();
    Thread worker =
        Thread.ofPlatform()
            .start(
                () -> {
                  PoolAccount.Task task = meter.pool().starting();
                  running.countDown();
                  try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                    seen.set("slept");
                  } catch (InterruptedException e) {
                    seen.set("interrupted");
                  } finally {
                    Thread.currentThread().interrupt(); // as if the task left it set
                    meter.pool().ended(task);
                  }
                  seen.set(seen.get() + ", flag " + Thread.currentThread().isInterrupted());
                });
    assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    meter.pool().close("the plugin stops");
    worker.join();

    assertThat(seen.get()).isEqualTo("interrupted, flag false");
    assertThat(meter.usage().poolStopped()).isEqualTo(1);
    assertThat(meter.usage().poolTasks()).isEqualTo(1);
  }

  @Test
  void aRunInlineInACallIsMeasuredByTheCallOnly() {
    ActiveCall call = meter.begin("route", Long.MAX_VALUE, -1);
    PoolAccount.Task inline = meter.pool().starting();
    assertThat(inline.call()).isNull();
    assertThat(LoopBudget.current()).isSameAs(call);
    meter.pool().ended(inline);
    assertThat(LoopBudget.current()).as("the call's binding is kept").isSameAs(call);
    meter.end(call, null);

    assertThat(meter.usage().poolTasks()).isEqualTo(1);
    assertThat(meter.usage().poolCpuNanos()).isZero();
    assertThat(meter.usage().calls()).isEqualTo(1);
  }
}
