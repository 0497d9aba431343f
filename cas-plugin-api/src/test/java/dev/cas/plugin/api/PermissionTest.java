package dev.cas.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PermissionTest {

  @Test
  void findsPermissionByManifestName() {
    assertThat(Permission.byId("network.outbound")).contains(Permission.NETWORK_OUTBOUND);
    assertThat(Permission.byId("plugins.call")).contains(Permission.PLUGINS_CALL);
    assertThat(Permission.byId("threads.create")).contains(Permission.THREADS_CREATE);
  }

  @Test
  void unknownNameIsEmpty() {
    assertThat(Permission.byId("network.everything")).isEmpty();
  }
}
