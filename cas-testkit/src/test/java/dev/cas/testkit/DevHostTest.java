package dev.cas.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dev host behind {@code cas:run}: the package installed at start, upgraded in place when the
 * file is rebuilt. The upgrade's time is printed (measured, not asserted).
 */
class DevHostTest {

  @TempDir Path tmp;

  @Test
  void rebuiltPackageIsUpgradedInPlace() throws Exception {
    Path v1 = ProbePlugin.build(tmp.resolve("v1"), "1.0.0", "Hello");
    Path v2 = ProbePlugin.build(tmp.resolve("v2"), "1.0.1", "Bonjour");
    Path target = Files.createDirectories(tmp.resolve("target")).resolve("kit-probe.zip");
    Files.copy(v1, target);
    List<String> log = new ArrayList<>();

    try (DevHost dev = DevHost.start(target, 0, tmp.resolve("data"), log::add)) {
      assertThat(log.getFirst()).contains("CAS dev host on http://localhost:", "installed");
      String admin = dev.host().adminToken();
      assertThat(dev.host().get("/api/plugins/kit-probe/hello", admin).text()).contains("Hello");
      assertThat(dev.reloadIfChanged()).isEmpty();

      Files.copy(v2, target, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(
          target, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2_000));
      Optional<Duration> reload = dev.reloadIfChanged();

      assertThat(reload).as(String.join("\n", log)).isPresent();
      assertThat(dev.host().get("/api/plugins/kit-probe/hello", admin).text()).contains("Bonjour");
      assertThat(dev.reloadIfChanged()).isEmpty();
      System.out.println("dev host: upgrade in place took " + reload.get().toMillis() + " ms");
    }
  }

  @Test
  void aRowWrittenBeforeARestartIsThereAfterIt() {
    Path pkg = ProbePlugin.build(tmp.resolve("v1"), "1.0.0", "Hello");
    Path data = tmp.resolve("data");
    List<String> log = new ArrayList<>();

    try (DevHost dev = DevHost.start(pkg, 0, data, log::add)) {
      String admin = dev.host().adminToken();
      TestHost.Response posted =
          dev.host()
              .send(
                  "POST",
                  "/api/plugins/kit-probe/notes",
                  admin,
                  "text/plain",
                  "kept".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(posted.status()).as(posted.text()).isEqualTo(201);
    }
    assertThat(data.resolve("postgres/PG_VERSION")).exists();

    try (DevHost dev = DevHost.start(pkg, 0, data, log::add)) {
      String admin = dev.host().adminToken();
      assertThat(dev.host().get("/api/plugins/kit-probe/notes", admin).text())
          .isEqualTo("{\"count\": 1}");
      TestHost.Response plugins = dev.host().get("/api/plugins", admin);
      assertThat(plugins.data().get(0).get("version").asString()).isEqualTo("1.0.0-dev.2");
    }
  }

  @Test
  void devNumbersAreReadFromDevelopmentVersions() {
    assertThat(DevHost.devNumber("1.0.0-dev.7")).isEqualTo(7);
    assertThat(DevHost.devNumber("1.0.0-rc.1.dev.3")).isEqualTo(3);
    assertThat(DevHost.devNumber("1.0.0")).isZero();
  }

  @Test
  void missingPackageSaysToBuildIt() {
    Path nothing = tmp.resolve("target/none-v1.0.0.zip");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DevHost.start(nothing, 0, tmp.resolve("data"), s -> {}))
        .hasMessageContaining("none-v1.0.0.zip")
        .hasMessageContaining("./mvnw package");
  }
}
