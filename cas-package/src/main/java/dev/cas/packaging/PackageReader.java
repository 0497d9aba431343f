package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;

/**
 * Reads a package safely: extracts it within {@link Limits}, then checks, in this order, that every
 * file matches {@code checksum.sha256}, that the signature satisfies the policy, that {@code
 * metadata.json} and {@code plugin.json} are valid, and that the files they name are present. A
 * package that fails any step is refused with a {@link PackageException} and the extraction folder
 * is emptied again.
 */
public final class PackageReader {

  private final ReadOptions options;

  private PackageReader(ReadOptions options) {
    this.options = options;
  }

  /** A reader with these options. */
  public static PackageReader create(ReadOptions options) {
    return new PackageReader(options);
  }

  /**
   * Reads {@code zip} into {@code target} (empty or absent) and checks it.
   *
   * @throws PackageException naming the reason and the entry at fault; {@code target} is then left
   *     empty
   */
  public PluginPackage read(Path zip, Path target) {
    // Checked before anything is written, so a refusal never empties a folder that held files.
    SafeExtractor.prepareTarget(target);
    try {
      SafeExtractor.Extraction extracted = new SafeExtractor(options.limits()).extract(zip, target);
      return check(target.toRealPath(), extracted);
    } catch (IOException | RuntimeException e) {
      PackageException failure = asPackageException(e);
      clean(target, failure);
      throw failure;
    }
  }

  /**
   * Opens a package this host extracted and verified at install, without extracting it again.
   *
   * <p>Threat: a file of an installed plugin changed, added or removed on disk after install (the
   * data folder is writable by whoever runs the host, or by a plugin's own code). The folder's
   * {@code checksum.sha256} must be byte for byte the one verified at install: its SHA-256, kept by
   * the host outside the folder, pins it. Every other file must match that list, none may be added
   * or removed, and none may be a link. The signature is not checked again: it signed that very
   * list, so the signer recorded at install is carried over.
   *
   * @param root the folder the package was extracted to at install
   * @param checksumsSha256 the SHA-256 of its {@code checksum.sha256}, recorded at install
   * @param signerKeyId the signer verified at install, if it was signed
   * @throws PackageException {@link Reason#INSTALLED_FILE_CHANGED} naming the file at fault
   */
  public PluginPackage open(Path root, String checksumsSha256, Optional<String> signerKeyId) {
    List<PackageFile> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted().toList()) {
        String path = root.relativize(p).toString().replace('\\', '/');
        java.nio.file.attribute.BasicFileAttributes a =
            Files.readAttributes(
                p,
                java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) {
          continue;
        }
        if (!a.isRegularFile()) {
          throw changed(root, path, "[" + path + "] is not a regular file");
        }
        files.add(new PackageFile(path, a.size()));
      }
    } catch (IOException e) {
      throw new PackageException(
          Reason.IO_ERROR, null, "cannot read installed plugin folder [" + root + "]: " + e, e);
    }
    List<String> paths = files.stream().map(PackageFile::path).toList();
    if (!paths.contains(PackageLayout.CHECKSUMS)) {
      throw changed(root, PackageLayout.CHECKSUMS, PackageLayout.CHECKSUMS + " is missing");
    }
    byte[] checksumBytes = readBytes(root, PackageLayout.CHECKSUMS);
    if (!ChecksumFile.sha256(checksumBytes).equals(checksumsSha256)) {
      throw changed(
          root, PackageLayout.CHECKSUMS, PackageLayout.CHECKSUMS + " is not the one verified");
    }
    try {
      ChecksumFile.parse(checksumBytes)
          .verify(
              root,
              paths.stream()
                  .filter(
                      p -> !p.equals(PackageLayout.CHECKSUMS) && !p.equals(PackageLayout.SIGNATURE))
                  .toList());
    } catch (PackageException e) {
      throw changed(root, e.path().orElse(null), e.getMessage());
    }
    Optional<Metadata> metadata =
        paths.contains(PackageLayout.METADATA) ? Optional.of(readMetadata(root)) : Optional.empty();
    ManifestParser parser =
        options.strictManifest() ? ManifestParser.strict() : ManifestParser.lenient();
    ManifestParser.Result parsed = parser.parse(readBytes(root, PackageLayout.MANIFEST));
    List<String> warnings = new ArrayList<>(parsed.warnings());
    ContentChecker.check(root, parsed.manifest(), paths, options.strictManifest(), warnings);
    return new PluginPackage(
        root,
        parsed.manifest(),
        metadata,
        files.stream()
            .sorted(Comparator.comparing(PackageFile::path, ChecksumFile.PATH_ORDER))
            .toList(),
        signerKeyId,
        paths.contains(PackageLayout.SIGNATURE),
        warnings);
  }

  private static PackageException changed(Path root, String path, String detail) {
    return new PackageException(
        Reason.INSTALLED_FILE_CHANGED,
        path,
        "installed plugin folder [" + root.getFileName() + "] changed since install: " + detail);
  }

  private PluginPackage check(Path root, SafeExtractor.Extraction extracted) {
    List<PackageFile> files =
        extracted.files().stream()
            .sorted(Comparator.comparing(PackageFile::path, ChecksumFile.PATH_ORDER))
            .toList();
    List<String> paths = files.stream().map(PackageFile::path).toList();
    if (!paths.contains(PackageLayout.CHECKSUMS)) {
      throw new PackageException(
          Reason.CHECKSUM_FILE_MISSING, PackageLayout.CHECKSUMS, "package has no checksum.sha256");
    }
    byte[] checksumBytes = readBytes(root, PackageLayout.CHECKSUMS);
    List<String> covered =
        paths.stream()
            .filter(p -> !p.equals(PackageLayout.CHECKSUMS) && !p.equals(PackageLayout.SIGNATURE))
            .toList();
    // The digests were taken of the very bytes written to the folder, so the files are read once.
    ChecksumFile.parse(checksumBytes).verify(covered, extracted.sha256()::get);

    Optional<Metadata> metadata =
        paths.contains(PackageLayout.METADATA) ? Optional.of(readMetadata(root)) : Optional.empty();
    boolean signed = paths.contains(PackageLayout.SIGNATURE);
    Optional<byte[]> signature =
        signed ? Optional.of(readBytes(root, PackageLayout.SIGNATURE)) : Optional.empty();
    Optional<String> signer =
        SignatureVerifier.verify(
            checksumBytes,
            signature,
            metadata.flatMap(Metadata::signing),
            options.signaturePolicy(),
            options.trust());

    if (!paths.contains(PackageLayout.MANIFEST)) {
      throw new PackageException(
          Reason.MANIFEST_MISSING, PackageLayout.MANIFEST, "package has no plugin.json");
    }
    ManifestParser parser =
        options.strictManifest() ? ManifestParser.strict() : ManifestParser.lenient();
    ManifestParser.Result parsed = parser.parse(readBytes(root, PackageLayout.MANIFEST));
    List<String> warnings = new ArrayList<>(parsed.warnings());
    if (metadata.isEmpty()) {
      warnings.add("package has no metadata.json");
    }
    ContentChecker.check(root, parsed.manifest(), paths, options.strictManifest(), warnings);
    return new PluginPackage(root, parsed.manifest(), metadata, files, signer, signed, warnings);
  }

  private static Metadata readMetadata(Path root) {
    try {
      Metadata metadata =
          Json.MAPPER.readValue(readBytes(root, PackageLayout.METADATA), Metadata.class);
      if (metadata.formatVersion() != Metadata.FORMAT_VERSION) {
        throw new PackageException(
            Reason.METADATA_INVALID,
            "formatVersion",
            "metadata.json formatVersion is ["
                + metadata.formatVersion()
                + "]; this reader reads ["
                + Metadata.FORMAT_VERSION
                + "]");
      }
      return metadata;
    } catch (JacksonException | NullPointerException e) {
      throw new PackageException(
          Reason.METADATA_INVALID,
          PackageLayout.METADATA,
          "metadata.json is invalid: " + e.getMessage(),
          e);
    }
  }

  static byte[] readBytes(Path root, String path) {
    try {
      return Files.readAllBytes(root.resolve(path));
    } catch (IOException e) {
      throw new PackageException(Reason.IO_ERROR, path, "cannot read [" + path + "]: " + e, e);
    }
  }

  private static PackageException asPackageException(Exception e) {
    if (e instanceof PackageException pe) {
      return pe;
    }
    return new PackageException(Reason.IO_ERROR, null, "cannot read package: " + e, e);
  }

  /** Nothing half-extracted stays behind after a refusal. */
  private static void clean(Path target, PackageException failure) {
    if (!Files.isDirectory(target)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(target)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(target)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
