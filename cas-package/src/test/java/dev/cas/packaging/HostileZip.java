package dev.cas.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Crafts ZIP archives entry by entry, including what {@link PackageWriter} never writes: hostile
 * names (stored byte for byte, no backslash conversion), duplicates, links, special files, and
 * headers that lie about sizes, flags or methods.
 */
final class HostileZip {

  static final int FILE = 0100644;
  static final int FOLDER = 040755;
  static final int SYMLINK = 0120777;
  static final int FIFO = 010644;

  /** No Unix mode: the entry is marked as made on MS-DOS/FAT, as Windows tools write it. */
  static final int FAT = -1;

  /** A header field, at its offsets in the local header and in the central directory record. */
  enum Field {
    FLAGS(6, 8, 2),
    METHOD(8, 10, 2),
    UNCOMPRESSED_SIZE(22, 24, 4);

    final int local;
    final int central;
    final int width;

    Field(int local, int central, int width) {
      this.local = local;
      this.central = central;
      this.width = width;
    }
  }

  private record Item(String name, byte[] data, int unixMode, int method) {}

  private final List<Item> items = new ArrayList<>();

  /** An archive of these files, in map order, each a regular file with mode 0644. */
  static HostileZip of(Map<String, byte[]> files) {
    HostileZip zip = new HostileZip();
    files.forEach(zip::file);
    return zip;
  }

  HostileZip file(String name, byte[] data) {
    return entry(name, data, FILE);
  }

  HostileZip file(String name, String text) {
    return file(name, text.getBytes(StandardCharsets.UTF_8));
  }

  HostileZip folder(String name) {
    return add(new Item(name, new byte[0], FOLDER, ZipArchiveEntry.STORED));
  }

  HostileZip entry(String name, byte[] data, int unixMode) {
    return add(new Item(name, data.clone(), unixMode, ZipArchiveEntry.DEFLATED));
  }

  HostileZip stored(String name, byte[] data) {
    return add(new Item(name, data.clone(), FILE, ZipArchiveEntry.STORED));
  }

  private HostileZip add(Item item) {
    items.add(item);
    return this;
  }

  /**
   * The archive. It is written to a seekable channel, so sizes and CRCs sit in the local headers
   * (no data descriptors) and can be patched there as well as in the central directory.
   */
  byte[] toBytes() {
    try (SeekableInMemoryByteChannel channel = new SeekableInMemoryByteChannel()) {
      try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(channel)) {
        zip.setEncoding("UTF-8");
        zip.setUseLanguageEncodingFlag(true);
        zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
        for (Item item : items) {
          RawEntry entry = new RawEntry(item.name(), item.unixMode());
          entry.setMethod(item.method());
          entry.setSize(item.data().length);
          zip.putArchiveEntry(entry);
          zip.write(item.data());
          zip.closeArchiveEntry();
        }
      }
      return Arrays.copyOf(channel.array(), (int) channel.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path writeTo(Path file) {
    return write(file, toBytes());
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rewrites a field of the named entry in its local header and its central directory record, to
   * make the archive claim what its data does not hold.
   */
  static byte[] patch(byte[] zip, String name, Field field, long value) {
    byte[] out = zip.clone();
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    int patched = 0;
    for (int i = 0; i + 46 <= out.length; i++) {
      if (at(out, i, 0x04034b50) && nameAt(out, i + 30, u16(out, i + 26), nameBytes)) {
        put(out, i + field.local, field.width, value);
        patched++;
      } else if (at(out, i, 0x02014b50) && nameAt(out, i + 46, u16(out, i + 28), nameBytes)) {
        put(out, i + field.central, field.width, value);
        patched++;
      }
    }
    if (patched != 2) {
      throw new IllegalStateException("found " + patched + " headers of [" + name + "], not 2");
    }
    return out;
  }

  private static boolean at(byte[] b, int i, int signature) {
    return (u16(b, i) | (u16(b, i + 2) << 16)) == signature;
  }

  private static boolean nameAt(byte[] b, int offset, int length, byte[] name) {
    return length == name.length
        && offset + length <= b.length
        && Arrays.equals(b, offset, offset + length, name, 0, name.length);
  }

  static int u16(byte[] b, int i) {
    return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
  }

  static long u32(byte[] b, int i) {
    return u16(b, i) | ((long) u16(b, i + 2) << 16);
  }

  private static void put(byte[] b, int i, int width, long value) {
    for (int k = 0; k < width; k++) {
      b[i + k] = (byte) (value >>> (8 * k));
    }
  }

  /**
   * An entry whose name is stored as given: commons-compress turns {@code \} into {@code /} for FAT
   * entries.
   */
  private static final class RawEntry extends ZipArchiveEntry {
    RawEntry(String name, int unixMode) {
      super("placeholder");
      setPlatform(PLATFORM_UNIX);
      setName(name);
      if (unixMode == FAT) {
        setPlatform(PLATFORM_FAT);
      } else {
        setUnixMode(unixMode);
      }
      setTime(315532800000L); // 1980-01-02 UTC: inside the DOS range, so no extra time fields
    }

    @Override
    public boolean equals(Object other) {
      return this == other; // duplicates must stay separate entries, each with its own header
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
