package dev.cas.sandbox.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.sandbox.checker.PluginPermissionDenied.Operation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host's denial listener, without the agent: every denial reaches it from the one place all
 * denials are made, it cannot throw into the denied code, and it is not called again for a denial
 * raised inside it. The listener can be set once per JVM, so this class sets one that forwards to
 * each test's.
 */
class DenialListenerTest {

  private static volatile Consumer<PluginPermissionDenied> current = d -> {};
  private final List<PluginPermissionDenied> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void install() {
    PolicyRegistry.onDenial(d -> current.accept(d));
  }

  @BeforeEach
  void record() {
    current = seen::add;
  }

  @Test
  void everyDenialReachesTheListenerWithItsParts() {
    PluginPermissionDenied denied =
        new PluginPermissionDenied(
            "hostile", Operation.FILE_READ, "/etc/shadow", "the plugin has no file system access");
    assertThat(seen).containsExactly(denied);
    assertThat(denied.pluginId()).isEqualTo("hostile");
    assertThat(denied.operation()).isEqualTo(Operation.FILE_READ);
    assertThat(denied.target()).isEqualTo("/etc/shadow");
    assertThat(denied.reason()).isEqualTo("the plugin has no file system access");
    assertThat(denied.getMessage())
        .isEqualTo(
            "plugin [hostile] may not read [/etc/shadow]: the plugin has no file system access");
  }

  @Test
  void aFailingListenerDoesNotReachTheDeniedCode() {
    current =
        d -> {
          throw new IllegalStateException("listener broke");
        };
    PluginPermissionDenied denied =
        new PluginPermissionDenied("hostile", Operation.EXIT, "1", "not allowed to plugins");
    assertThat(denied.getMessage())
        .isEqualTo("plugin [hostile] may not exit the JVM with status [1]: not allowed to plugins");
  }

  @Test
  void aDenialInsideTheListenerIsNotReportedAgain() {
    current =
        d -> {
          seen.add(d);
          seen.add(
              new PluginPermissionDenied(
                  "hostile", Operation.SET_PROPERTY, "inner", "not allowed to plugins"));
        };
    new PluginPermissionDenied(
        "hostile", Operation.SET_PROPERTY, "outer", "not allowed to plugins");
    assertThat(seen).extracting(PluginPermissionDenied::target).containsExactly("outer", "inner");
  }

  @Test
  void theListenerIsSetOnce() {
    assertThatThrownBy(() -> PolicyRegistry.onDenial(d -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the sandbox denial listener is set already");
  }
}
