package dev.cas.sandbox.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy a manifest asks for, without the agent: the decisions, not their enforcement. */
class PluginPolicyTest {

  @TempDir Path folder;

  @Test
  void networkNeedsThePermissionAndFollowsThePolicy() throws Exception {
    InetAddress db = InetAddress.getByAddress("db.internal", new byte[] {10, 0, 0, 5});
    PluginPolicy undeclared = policy(Set.of(), Optional.of("open"), List.of("*"), Optional.empty());
    PluginPolicy open =
        policy(Set.of("network.outbound"), Optional.of("open"), List.of(), Optional.empty());
    PluginPolicy none =
        policy(Set.of("network.outbound"), Optional.of("none"), List.of("*"), Optional.empty());
    PluginPolicy restrictive =
        policy(
            Set.of("network.outbound"),
            Optional.empty(),
            List.of("db.internal:5432", "*.example.com:*", "*:389"),
            Optional.empty());
    assertThat(undeclared.refuseConnect(db, 5432))
        .contains("the plugin has no outbound network access");
    assertThat(open.refuseConnect(db, 25)).isEmpty();
    assertThat(none.refuseConnect(db, 5432)).isPresent();
    assertThat(restrictive.refuseConnect(db, 5432)).isEmpty();
    assertThat(restrictive.refuseConnect(db, 5433))
        .contains("host not in sandbox.allowedHosts [db.internal:5432, *.example.com:*, *:389]");
    assertThat(restrictive.refuseConnect(db, 389)).isEmpty();
    InetAddress api = InetAddress.getByAddress("api.example.com", new byte[] {1, 2, 3, 4});
    assertThat(restrictive.refuseConnect(api, 443)).isEmpty();
    InetAddress bare = InetAddress.getByAddress(new byte[] {10, 0, 0, 5});
    assertThat(restrictive.refuseConnect(bare, 5432)).isPresent();
  }

  @Test
  void resolvingANameFollowsTheConnectPolicyWhateverThePort() {
    PluginPolicy undeclared = policy(Set.of(), Optional.of("open"), List.of("*"), Optional.empty());
    PluginPolicy open =
        policy(Set.of("network.outbound"), Optional.of("open"), List.of(), Optional.empty());
    PluginPolicy restrictive =
        policy(
            Set.of("network.outbound"),
            Optional.empty(),
            List.of("db.internal:5432", "*.example.com:*", "10.0.0.7:25"),
            Optional.empty());
    assertThat(undeclared.refuseResolve("db.internal"))
        .contains("the plugin has no outbound network access");
    assertThat(open.refuseResolve("anything.example.org")).isEmpty();
    assertThat(restrictive.refuseResolve("DB.internal")).isEmpty();
    assertThat(restrictive.refuseResolve("api.example.com")).isEmpty();
    assertThat(restrictive.refuseResolve("secret.exfil.example.org"))
        .contains(
            "host not in sandbox.allowedHosts [db.internal:5432, *.example.com:*, 10.0.0.7:25]");
    assertThat(restrictive.refuseResolve("example.com.evil.org")).isPresent();
  }

  @Test
  void threadsOnlyWithThreadsCreate() {
    assertThat(policy(Set.of(), Optional.empty(), List.of(), Optional.empty()).threads()).isFalse();
    assertThat(
            policy(Set.of("threads.create"), Optional.empty(), List.of(), Optional.empty())
                .threads())
        .isTrue();
    assertThat(PluginPolicy.denyAll("p").threads()).isFalse();
  }

  @Test
  void pluginOnlyMeansTheRealFolderAndJdkFilesAreReadable() throws Exception {
    PluginPolicy own = policy(Set.of(), Optional.empty(), List.of(), Optional.of("plugin-only"));
    PluginPolicy nothing = policy(Set.of(), Optional.empty(), List.of(), Optional.of("none"));
    Path inside = FilePaths.real(folder.resolve("data/new.txt"));
    assertThat(own.refuseFile(inside, true)).isEmpty();
    // Its own package is readable whatever filesystemAccess says; never writable without it.
    assertThat(nothing.refuseFile(inside, false)).isEmpty();
    assertThat(nothing.refuseFile(inside, true)).contains("the plugin has no file system access");
    Path elsewhere = FilePaths.real(folder.getParent().resolve("other-plugin/data.txt"));
    assertThat(nothing.refuseFile(elsewhere, false))
        .contains("the plugin has no file system access");
    assertThat(PluginPolicy.denyAll("p").refuseFile(inside, false)).isPresent();
    Path link = Files.createSymbolicLink(folder.resolve("out"), Path.of("/etc"));
    assertThat(own.refuseFile(FilePaths.real(link.resolve("hostname")), false))
        .contains("outside the plugin's folder [" + folder.toRealPath() + "]");
    assertThat(nothing.refuseFile(FilePaths.JAVA_HOME.resolve("lib/tzdb.dat"), false)).isEmpty();
    assertThat(nothing.refuseFile(FilePaths.JAVA_HOME.resolve("lib/tzdb.dat"), true)).isPresent();
  }

  private PluginPolicy policy(
      Set<String> permissions, Optional<String> network, List<String> hosts, Optional<String> fs) {
    return PluginPolicy.fromManifest("p", permissions, network, hosts, fs, folder);
  }
}
