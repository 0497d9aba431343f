package dev.cas.packaging;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A package that passed every check of a {@link PackageReader}, extracted into a folder.
 *
 * @param root the folder it was extracted into
 * @param manifest its {@code plugin.json}
 * @param metadata its {@code metadata.json}, when present
 * @param files every file, sorted by path
 * @param signerKeyId the trusted key that verified its signature, when the policy checked one
 * @param signed whether it carries {@code signature.sig}
 * @param warnings what the reader noticed without refusing it
 */
public record PluginPackage(
    Path root,
    Manifest manifest,
    Optional<Metadata> metadata,
    List<PackageFile> files,
    Optional<String> signerKeyId,
    boolean signed,
    List<String> warnings) {

  public PluginPackage {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(manifest, "manifest");
    files = List.copyOf(files);
    warnings = List.copyOf(warnings);
  }

  /** The file at a package path, which exists in the extracted folder. */
  public Path file(String path) {
    return root.resolve(path);
  }

  /** Total uncompressed size of all files. */
  public long totalBytes() {
    return files.stream().mapToLong(PackageFile::size).sum();
  }
}
