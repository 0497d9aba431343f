package dev.cas.packaging;

import static dev.cas.packaging.Packages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cas.packaging.PackageException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code checksum.sha256} in GNU {@code sha256sum} text format, written strictly, read leniently.
 */
class ChecksumFileTest {

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path tmp;

  @Test
  void writesSha256sumLinesSortedByUtf8BytesWithFinalNewline() {
    // UTF-8 byte order: upper case before lower case, ASCII before é (C3), before fullwidth A (EF),
    // before 😀 (F0). UTF-16 order (String.compareTo) would put 😀 (D83D) before fullwidth A
    // (FF21).
    List<String> paths =
        List.of(
            "docs/😀.md",
            "docs/Ａ.md",
            "docs/é.md",
            "docs/z.md",
            "docs/b.md",
            "docs/a.md",
            "docs/B.md",
            "README.md");
    ChecksumFile file =
        new ChecksumFile(paths.stream().map(p -> new ChecksumFile.Entry(A, p)).toList());

    assertThat(Packages.text(file.toBytes()))
        .isEqualTo(
            A
                + "  README.md\n"
                + A
                + "  docs/B.md\n"
                + A
                + "  docs/a.md\n"
                + A
                + "  docs/b.md\n"
                + A
                + "  docs/z.md\n"
                + A
                + "  docs/é.md\n"
                + A
                + "  docs/Ａ.md\n"
                + A
                + "  docs/😀.md\n");
  }

  @Test
  void computesDigestsOfRealFilesWithNonAsciiNames() throws Exception {
    Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(tmp.resolve("docs/café.md"), "abc");
    Files.writeString(tmp.resolve("Zeta.txt"), "");

    ChecksumFile file = ChecksumFile.compute(tmp, List.of("docs/café.md", "Zeta.txt"));

    assertThat(file.toBytes())
        .isEqualTo(
            utf8(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  Zeta.txt\n"
                    + ABC
                    + "  docs/café.md\n"));
  }

  @Test
  void readsWhatItWrites() {
    ChecksumFile file =
        new ChecksumFile(
            List.of(new ChecksumFile.Entry(B, "b.txt"), new ChecksumFile.Entry(A, "é/a.txt")));

    assertThat(ChecksumFile.parse(file.toBytes())).isEqualTo(file);
  }

  @Test
  void readsBinaryMarkerDotSlashPrefixUnsortedLinesAndUpperCaseHex() {
    String text =
        B.toUpperCase() + " *./docs/b.md\n" + A + "  ./README.md\n" + A + " *plugin.json\n";

    ChecksumFile file = ChecksumFile.parse(utf8(text));

    assertThat(file.entries())
        .containsExactly(
            new ChecksumFile.Entry(A, "README.md"),
            new ChecksumFile.Entry(B, "docs/b.md"),
            new ChecksumFile.Entry(A, "plugin.json"));
  }

  @Test
  void refusesPathListedTwice() {
    PackageException e = refuse(A + "  a.txt\n" + B + "  b.txt\n" + B + "  a.txt\n");

    assertThat(e).hasMessage("checksum.sha256 is malformed: line 3 lists [a.txt] a second time");
  }

  @Test
  void refusesPathListedTwiceWithAndWithoutDotSlash() {
    PackageException e = refuse(A + "  a.txt\n" + A + "  ./a.txt\n");

    assertThat(e).hasMessage("checksum.sha256 is malformed: line 2 lists [a.txt] a second time");
  }

  @Test
  void refusesMissingFinalNewline() {
    PackageException e = refuse(A + "  a.txt\n" + B + "  b.txt");

    assertThat(e).hasMessage("checksum.sha256 is malformed: it does not end with a newline");
  }

  @Test
  void refusesEmptyFile() {
    PackageException e = refuse("");

    assertThat(e).hasMessage("checksum.sha256 is malformed: it lists no files");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc  a.txt\n",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  a.txt\n",
        "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg  a.txt\n",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa a.txt\n",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  a.txt\r\n",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  \n",
        "\n",
      })
  void refusesLineNotInSha256sumFormat(String text) {
    PackageException e = refuse(text);

    assertThat(e)
        .hasMessage("checksum.sha256 is malformed: line 1 is not '<64 hex digits>  <path>'");
  }

  @Test
  void verifyNamesFirstUnlistedMissingOrChangedPathInOrder() throws Exception {
    Files.writeString(tmp.resolve("a.txt"), "abc");
    Files.writeString(tmp.resolve("b.txt"), "changed");
    ChecksumFile file =
        ChecksumFile.parse(utf8(ABC + "  a.txt\n" + ABC + "  b.txt\n" + ABC + "  c.txt\n"));

    PackageException changed =
        catchThrowableOfType(
            PackageException.class, () -> file.verify(tmp, List.of("a.txt", "b.txt", "c.txt")));
    PackageException missing =
        catchThrowableOfType(PackageException.class, () -> file.verify(tmp, List.of("a.txt")));
    PackageException unlisted =
        catchThrowableOfType(
            PackageException.class,
            () -> file.verify(tmp, List.of("A.txt", "a.txt", "b.txt", "c.txt")));

    assertThat(
            Map.of(
                "changed",
                changed.reason(),
                "missing",
                missing.reason(),
                "unlisted",
                unlisted.reason()))
        .containsEntry("changed", Reason.CHECKSUM_MISMATCH)
        .containsEntry("missing", Reason.FILE_MISSING)
        .containsEntry("unlisted", Reason.FILE_UNLISTED);
    assertThat(changed)
        .hasMessage(
            "checksum mismatch for [b.txt]: expected ["
                + ABC
                + "] but was ["
                + ChecksumFile.sha256(utf8("changed"))
                + "]");
    assertThat(missing)
        .hasMessage("file [b.txt] is listed in checksum.sha256 but missing from the package");
    assertThat(unlisted).hasMessage("file [A.txt] is not listed in checksum.sha256");
  }

  private static PackageException refuse(String text) {
    PackageException e =
        catchThrowableOfType(PackageException.class, () -> ChecksumFile.parse(utf8(text)));
    assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_FILE_MALFORMED);
    assertThat(e.path()).contains("checksum.sha256");
    return e;
  }
}
