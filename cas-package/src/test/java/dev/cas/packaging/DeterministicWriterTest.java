package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same plugin folder and settings give the same bytes, whatever the machine's time zone, the
 * files' times, the order they were created in or the folder's location; and entries hold nothing
 * but name, fixed time, fixed mode and data.
 */
class DeterministicWriterTest {

  private static final int DOS_1980_01_01 = (0 << 9) | (1 << 5) | 1;
  private static final int DOS_00_00_02 = 1;

  @TempDir Path tmp;

  @Test
  void packageBytesDoNotDependOnTheDefaultTimeZone() throws Exception {
    Path dir = PluginFolders.create(tmp.resolve("src"));
    List<byte[]> packages = new ArrayList<>();
    TimeZone original = TimeZone.getDefault();
    try {
      for (String zone :
          List.of(
              "UTC",
              "Pacific/Kiritimati",
              "America/St_Johns",
              "Asia/Kathmandu",
              "Pacific/Pago_Pago")) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        Path zip =
            Packages.writer()
                .build()
                .write(dir, tmp.resolve(zone.replace('/', '_') + ".zip"))
                .zip();
        packages.add(Files.readAllBytes(zip));
      }
    } finally {
      TimeZone.setDefault(original);
    }

    assertThat(packages).allSatisfy(bytes -> assertThat(bytes).isEqualTo(packages.getFirst()));
  }

  @ParameterizedTest
  @EnumSource(SignatureAlgorithm.class)
  void packageBytesDoNotDependOnFileTimesCreationOrderOrLocation(SignatureAlgorithm algorithm)
      throws Exception {
    KeyPair pair = PemKeys.generate(algorithm, 2048);
    Path first = PluginFolders.create(tmp.resolve("first"));
    Path second = reversedCopy(first, tmp.resolve("elsewhere/second"));
    try (var files = Files.walk(second)) {
      long time = 0;
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(
            p, FileTime.from(Instant.ofEpochSecond(1_000_000_000L + 86_400 * time++)));
      }
    }
    PackageWriter writer = Packages.writer().signWith(pair.getPrivate()).build();

    byte[] a = Files.readAllBytes(writer.write(first, tmp.resolve("a.zip")).zip());
    byte[] b = Files.readAllBytes(writer.write(second, tmp.resolve("b.zip")).zip());

    assertThat(b).isEqualTo(a);
  }

  @Test
  void entriesHaveNoExtraFieldsFixedTimeAndMode0644() throws Exception {
    byte[] zip = Files.readAllBytes(Packages.valid(tmp));
    List<String> local = new ArrayList<>();
    List<String> central = new ArrayList<>();

    for (int i = 0; i + 4 <= zip.length; i++) {
      long signature = HostileZip.u32(zip, i);
      if (signature == 0x04034b50L) {
        assertThat(HostileZip.u16(zip, i + 28)).as("local extra field length at %d", i).isZero();
        assertThat(HostileZip.u16(zip, i + 10))
            .as("local DOS time at %d", i)
            .isEqualTo(DOS_00_00_02);
        assertThat(HostileZip.u16(zip, i + 12))
            .as("local DOS date at %d", i)
            .isEqualTo(DOS_1980_01_01);
        assertThat(HostileZip.u16(zip, i + 6) & 0x0008)
            .as("data descriptor flag at %d", i)
            .isZero();
        local.add(name(zip, i + 30, HostileZip.u16(zip, i + 26)));
      } else if (signature == 0x02014b50L) {
        String name = name(zip, i + 46, HostileZip.u16(zip, i + 28));
        assertThat(HostileZip.u16(zip, i + 30))
            .as("central extra field length of %s", name)
            .isZero();
        assertThat(HostileZip.u16(zip, i + 32)).as("comment length of %s", name).isZero();
        assertThat(HostileZip.u16(zip, i + 4) >> 8).as("made on Unix: %s", name).isEqualTo(3);
        assertThat(HostileZip.u32(zip, i + 38) >>> 16)
            .as("Unix mode of %s", name)
            .isEqualTo(0100644L);
        assertThat(HostileZip.u16(zip, i + 12)).as("DOS time of %s", name).isEqualTo(DOS_00_00_02);
        assertThat(HostileZip.u16(zip, i + 14))
            .as("DOS date of %s", name)
            .isEqualTo(DOS_1980_01_01);
        central.add(name);
      }
    }

    assertThat(central).isEqualTo(local).isSortedAccordingTo(ChecksumFile.PATH_ORDER).hasSize(12);
  }

  @Test
  void zipinfoShowsMode0644Time1980AndNoExtraFields() {
    Path zip = Packages.valid(tmp);

    String listing = Tools.run(tmp, List.of("zipinfo", zip.toString()));
    String verbose = Tools.run(tmp, List.of("zipinfo", "-v", zip.toString()));

    List<String> entries = listing.lines().filter(l -> l.startsWith("-")).toList();
    assertThat(entries)
        .hasSize(12)
        .allSatisfy(
            line ->
                assertThat(line)
                    .matches("-rw-r--r-- {2}2\\.0 unx +\\d+ b- defN 80-Jan-01 00:00 \\S+"));
    assertThat(verbose)
        .doesNotContain(
            "extra bytes preceding", "extended local header:                          yes")
        .contains("length of extra field:                          0 bytes");
    assertThat(verbose.lines().filter(l -> l.contains("length of extra field:")))
        .allSatisfy(l -> assertThat(l).endsWith(" 0 bytes"));
  }

  /** A copy made file by file in reverse order, so directory listing order differs too. */
  private static Path reversedCopy(Path from, Path to) throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (var walk = Files.walk(from)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted(Comparator.reverseOrder()).toList()) {
        files.put(from.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return PluginFolders.write(to, files);
  }

  private static String name(byte[] zip, int offset, int length) {
    return new String(zip, offset, length, StandardCharsets.UTF_8);
  }
}
