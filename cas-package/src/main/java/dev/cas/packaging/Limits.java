package dev.cas.packaging;

/**
 * The bounds a {@link PackageReader} enforces while extracting, so that a hostile archive cannot
 * exhaust disk, memory or file handles. Sizes are measured on the bytes actually inflated, never on
 * the sizes an archive declares.
 *
 * @param maxEntries most entries (files and folders) in one archive
 * @param maxEntryBytes most bytes one entry may inflate to
 * @param maxTotalBytes most bytes all entries together may inflate to
 * @param maxRatio most bytes inflated per compressed byte for one entry
 * @param ratioGraceBytes entries that inflate to fewer bytes than this are not ratio-checked, since
 *     tiny files of repeated bytes compress far and cannot hurt (the same grace Apache POI uses)
 */
public record Limits(
    int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio, long ratioGraceBytes) {

  private static final long MIB = 1024L * 1024L;

  public Limits {
    if (maxEntries < 1 || maxEntryBytes < 1 || maxTotalBytes < 1 || maxRatio < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (ratioGraceBytes < 0) {
      throw new IllegalArgumentException("ratioGraceBytes must not be negative");
    }
  }

  /** FORMAT.md's defaults: 10,000 entries, 100 MiB an entry, 512 MiB in all, 200:1. */
  public static Limits defaults() {
    return new Limits(10_000, 100 * MIB, 512 * MIB, 200, 100 * 1024);
  }
}
