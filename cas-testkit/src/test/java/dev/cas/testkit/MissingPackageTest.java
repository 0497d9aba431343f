package dev.cas.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Without a package the extension says where it looked and what to run. */
class MissingPackageTest {

  @Test
  void namedPackageThatDoesNotExist() {
    CasExtension ext = CasExtension.plugin(Path.of("target/nothing-v1.0.0.zip"));
    assertThatThrownBy(() -> ext.beforeAll((ExtensionContext) null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nothing-v1.0.0.zip")
        .hasMessageContaining("does not exist");
  }

  @Test
  void helpersBeforeTheHostStartsSayHowToRegister() {
    assertThatThrownBy(() -> CasExtension.plugin().admin())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@RegisterExtension");
  }
}
