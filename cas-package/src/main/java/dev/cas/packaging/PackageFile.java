package dev.cas.packaging;

import java.util.Objects;

/**
 * One file of a package.
 *
 * @param path its path inside the package, {@code /}-separated
 * @param size its size in bytes
 */
public record PackageFile(String path, long size) {

  public PackageFile {
    Objects.requireNonNull(path, "path");
  }
}
