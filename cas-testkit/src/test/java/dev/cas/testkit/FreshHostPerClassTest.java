package dev.cas.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A second class with the same plugin gets its own host on its own database: nothing the first
 * class stored is here.
 */
class FreshHostPerClassTest {

  @RegisterExtension static final CasExtension cas = CasExtension.plugin(CasExtensionTest.PACKAGE);

  @Test
  void startsEmpty(PluginDatabase db, TestHost host) {
    assertThat(db.query("SELECT * FROM probe_notes")).isEmpty();
    assertThat(host.baseUrl()).startsWith("http://localhost:");
  }
}
