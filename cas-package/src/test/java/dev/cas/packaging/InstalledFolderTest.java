package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cas.packaging.PackageException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installed folder opened again at start without extracting: it must be exactly what was
 * verified at install, pinned by the SHA-256 of its checksum list kept outside the folder.
 */
class InstalledFolderTest {

  private static final String JAR = "backend/dist/text-block.jar";

  @TempDir Path tmp;

  private PluginPackage installed;
  private String pin;
  private final PackageReader reader = PackageReader.create(ReadOptions.defaults());

  @BeforeEach
  void install() throws Exception {
    installed = reader.read(Packages.valid(tmp), tmp.resolve("installed"));
    pin = ChecksumFile.sha256(Files.readAllBytes(installed.file(PackageLayout.CHECKSUMS)));
  }

  @Test
  void anUnchangedFolderOpensAsTheSamePackage() {
    PluginPackage opened = reader.open(installed.root(), pin, Optional.of("key-1"));

    assertThat(opened.manifest()).isEqualTo(installed.manifest());
    assertThat(opened.files()).isEqualTo(installed.files());
    assertThat(opened.signerKeyId()).contains("key-1");
  }

  @Test
  void aChangedJarIsRefusedNamingIt() throws Exception {
    Path jar = installed.file(JAR);
    byte[] bytes = Files.readAllBytes(jar);
    bytes[bytes.length / 2] ^= 1;
    Files.write(jar, bytes);

    assertThatThrownBy(() -> reader.open(installed.root(), pin, Optional.empty()))
        .isInstanceOfSatisfying(
            PackageException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INSTALLED_FILE_CHANGED);
              assertThat(e.path()).contains(JAR);
              assertThat(e).hasMessageContaining("changed since install");
            });
  }

  @Test
  void aRewrittenChecksumListIsRefusedEvenWhenTheFilesMatchIt() throws Exception {
    // Whoever changes a jar and rewrites the list to match it is caught by the pin.
    Path jar = installed.file(JAR);
    Files.write(jar, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    java.util.List<String> covered =
        installed.files().stream()
            .map(PackageFile::path)
            .filter(p -> !p.equals(PackageLayout.CHECKSUMS) && !p.equals(PackageLayout.SIGNATURE))
            .toList();
    Files.write(
        installed.file(PackageLayout.CHECKSUMS),
        ChecksumFile.compute(installed.root(), covered).toBytes());

    assertThatThrownBy(() -> reader.open(installed.root(), pin, Optional.empty()))
        .isInstanceOfSatisfying(
            PackageException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INSTALLED_FILE_CHANGED);
              assertThat(e.path()).contains(PackageLayout.CHECKSUMS);
            });
  }

  @Test
  void anAddedFileIsRefused() throws Exception {
    Files.writeString(installed.root().resolve("backend/dist/extra.jar"), "not from the package");

    assertThatThrownBy(() -> reader.open(installed.root(), pin, Optional.empty()))
        .isInstanceOfSatisfying(
            PackageException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INSTALLED_FILE_CHANGED);
              assertThat(e.path()).contains("backend/dist/extra.jar");
            });
  }

  @Test
  void aRemovedFileIsRefused() throws Exception {
    Files.delete(installed.file(JAR));

    assertThatThrownBy(() -> reader.open(installed.root(), pin, Optional.empty()))
        .isInstanceOfSatisfying(
            PackageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INSTALLED_FILE_CHANGED));
  }

  @Test
  void aFileReplacedByALinkIsRefused() throws Exception {
    Path jar = installed.file(JAR);
    Path elsewhere = tmp.resolve("elsewhere.jar");
    Files.move(jar, elsewhere);
    Files.createSymbolicLink(jar, elsewhere);

    assertThatThrownBy(() -> reader.open(installed.root(), pin, Optional.empty()))
        .isInstanceOfSatisfying(
            PackageException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.INSTALLED_FILE_CHANGED);
              assertThat(e).hasMessageContaining("not a regular file");
            });
  }
}
