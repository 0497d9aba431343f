package dev.cas.packaging;

import static dev.cas.packaging.Packages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cas.packaging.PackageException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader against archives crafted to escape the target folder, overwrite files, or exhaust the
 * machine. Each hostile archive is otherwise a valid package, so the refusal can only come from the
 * hostile part; each refusal must leave the target empty and the disk unchanged.
 */
class HostileArchiveTest {

  private static final long MIB = 1024L * 1024L;
  private static final String COLLIDES =
      " (names compared after NFC normalisation and case folding)";

  @TempDir Path tmp;

  private Sandbox sandbox;
  private Map<String, byte[]> valid;

  @BeforeEach
  void validPackage() {
    valid = Packages.entries(Packages.valid(tmp));
    sandbox = new Sandbox(tmp);
  }

  @Test
  void fixtureWithoutHostileEntriesReads() {
    PluginPackage read = sandbox.read(zip(HostileZip.of(valid)), ReadOptions.defaults());

    assertThat(read.manifest().id()).isEqualTo("text-block");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../escaped.txt",
        "backend/../../../escaped.txt",
        "docs/../../../../../escaped.txt",
        "backend/dist/..",
      })
  void importRejectsParentTraversal(String name) {
    PackageException e = refuseWithExtra(name);

    assertThat(e.reason()).isEqualTo(Reason.PATH_TRAVERSAL);
    assertThat(e).hasMessage("entry [" + name + "] contains a [..] segment");
    assertThat(e.path()).contains(name);
    sandbox.assertNotWritten(name);
  }

  @Test
  void importRejectsAbsolutePath() {
    String name = tmp.resolve("absolute-escape.txt").toString();

    PackageException e = refuseWithExtra(name);

    assertThat(e.reason()).isEqualTo(Reason.ABSOLUTE_PATH);
    assertThat(e).hasMessage("entry [" + name + "] is an absolute path");
    sandbox.assertNotWritten(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"C:/escaped.txt", "c:escaped.txt", "D:\\escaped.txt"})
  void importRejectsDriveLetter(String name) {
    PackageException e = refuse(HostileZip.of(valid).entry(name, utf8("x"), HostileZip.FILE));

    assertThat(e.reason()).isIn(Reason.DRIVE_LETTER, Reason.BACKSLASH);
    assertThat(e)
        .hasMessage(
            name.contains("\\")
                ? "entry [" + name + "] contains a backslash"
                : "entry [" + name + "] starts with a drive letter");
    sandbox.assertNotWritten(name);
  }

  @Test
  void importRejectsBackslashInUnixEntry() {
    String name = "backend\\..\\..\\escaped.txt";

    PackageException e = refuseWithExtra(name);

    assertThat(e.reason()).isEqualTo(Reason.BACKSLASH);
    assertThat(e).hasMessage("entry [backend\\..\\..\\escaped.txt] contains a backslash");
    sandbox.assertNotWritten(name);
  }

  /** A Windows tool's backslashes are separators; the name is then judged as the path it is. */
  @Test
  void importRejectsBackslashTraversalInWindowsEntry() {
    String name = "backend\\..\\..\\escaped.txt";

    PackageException e = refuse(HostileZip.of(valid).entry(name, utf8("x"), HostileZip.FAT));

    assertThat(e.reason()).isEqualTo(Reason.PATH_TRAVERSAL);
    assertThat(e).hasMessage("entry [backend/../../escaped.txt] contains a [..] segment");
    sandbox.assertNotWritten(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"backend//x.txt", "backend/./x.txt", "./plugin.json", "docs/x/./"})
  void importRejectsEmptyOrDotSegment(String name) {
    PackageException e = refuseWithExtra(name);

    assertThat(e.reason()).isEqualTo(Reason.INVALID_PATH);
    assertThat(e).hasMessage("entry [" + name + "] has an empty or [.] segment");
  }

  @Test
  void importRejectsEmptyName() {
    PackageException e = refuseWithExtra("");

    assertThat(e.reason()).isEqualTo(Reason.INVALID_PATH);
    assertThat(e).hasMessage("empty entry name");
  }

  @Test
  void importRejectsControlCharacterInName() {
    PackageException e = refuseWithExtra("docs/a\u0007b.md");

    assertThat(e.reason()).isEqualTo(Reason.INVALID_PATH);
    assertThat(e).hasMessage("entry [docs/a\u0007b.md] contains a control character");
  }

  @Test
  void importRejectsSymbolicLink() {
    PackageException e =
        refuse(
            HostileZip.of(valid).entry("docs/passwd.md", utf8("/etc/passwd"), HostileZip.SYMLINK));

    assertThat(e.reason()).isEqualTo(Reason.SYMLINK);
    assertThat(e).hasMessage("entry [docs/passwd.md] is a symbolic link");
    assertThat(tmp.resolve("sandbox/a/b/target/docs/passwd.md")).doesNotExist();
  }

  @Test
  void importRejectsSpecialFile() {
    PackageException e =
        refuse(HostileZip.of(valid).entry("docs/pipe", new byte[0], HostileZip.FIFO));

    assertThat(e.reason()).isEqualTo(Reason.SYMLINK);
    assertThat(e)
        .hasMessage(
            "entry [docs/pipe] is a special file (mode 10000), not a regular file or folder");
  }

  static Stream<Arguments> duplicates() {
    return Stream.of(
        Arguments.of("plugin.json", "plugin.json"),
        Arguments.of("docs/README.md", "docs/readme.md"),
        Arguments.of("docs/Guide.MD", "docs/guide.md"),
        Arguments.of("docs/caf\u00e9.md", "docs/cafe\u0301.md"),
        Arguments.of("docs/cafe\u0301.md", "docs/CAF\u00c9.md"));
  }

  @ParameterizedTest(name = "[{0}] then [{1}]")
  @MethodSource("duplicates")
  void importRejectsDuplicateEntry(String first, String second) {
    HostileZip zip = HostileZip.of(valid);
    if (!valid.containsKey(first)) {
      zip.file(first, "first\n");
    }
    zip.file(second, "second\n");

    PackageException e = refuse(zip);

    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_ENTRY);
    assertThat(e).hasMessage("entry [" + second + "] collides with [" + first + "]" + COLLIDES);
    assertThat(e.path()).contains(second);
  }

  /**
   * {@code readme.md} next to {@code README.md} is refused before it can collide: not a top-level
   * name.
   */
  @Test
  void importRejectsCaseVariantOfReadmeAtTopLevel() {
    PackageException e = refuseWithExtra("readme.md");

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TOP_LEVEL_ENTRY);
    assertThat(e.getMessage()).startsWith("entry [readme.md] is not allowed at the top level");
  }

  static Stream<Arguments> fileFolderCollisions() {
    return Stream.of(
        Arguments.of(
            (UnaryOperator<HostileZip>) z -> z.file("docs/x", "file").file("docs/x/y.md", "child"),
            "docs/x/y.md",
            "docs/x"),
        Arguments.of(
            (UnaryOperator<HostileZip>) z -> z.file("docs/x/y.md", "child").file("docs/x", "file"),
            "docs/x",
            "docs/x/"),
        Arguments.of(
            (UnaryOperator<HostileZip>) z -> z.folder("docs/x/").file("docs/x", "file"),
            "docs/x",
            "docs/x/"),
        Arguments.of(
            (UnaryOperator<HostileZip>) z -> z.file("docs/x", "file").folder("docs/x/"),
            "docs/x/",
            "docs/x"),
        Arguments.of(
            (UnaryOperator<HostileZip>) z -> z.file("docs/X", "file").file("docs/x/y.md", "child"),
            "docs/x/y.md",
            "docs/X"));
  }

  @ParameterizedTest(name = "[{1}] collides with [{2}]")
  @MethodSource("fileFolderCollisions")
  void importRejectsFileFolderCollision(
      UnaryOperator<HostileZip> add, String name, String previous) {
    PackageException e = refuse(add.apply(HostileZip.of(valid)));

    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_ENTRY);
    assertThat(e).hasMessage("entry [" + name + "] collides with [" + previous + "]" + COLLIDES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.sh", "META-INF/MANIFEST.MF", "Plugin.json", "lib/x.jar"})
  void importRejectsUnknownTopLevelEntry(String name) {
    PackageException e = refuseWithExtra(name);

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TOP_LEVEL_ENTRY);
    assertThat(e)
        .hasMessage(
            "entry ["
                + name
                + "] is not allowed at the top level; allowed files [README.md, checksum.sha256,"
                + " metadata.json, plugin.json, signature.sig], folders [backend, data, docs,"
                + " frontend, tests]");
  }

  @Test
  void importRejectsTooManyEntries() {
    Limits five = new Limits(5, 100 * MIB, 512 * MIB, 200, 100 * 1024);

    PackageException e =
        sandbox.refuse(zip(HostileZip.of(valid)), ReadOptions.defaults().withLimits(five));

    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_ENTRIES);
    assertThat(e).hasMessage("archive has " + valid.size() + " entries; the limit is 5");
  }

  @Test
  void importRejectsEntryInflatingPastEntryLimit() {
    Limits small = new Limits(10_000, 64 * 1024, 512 * MIB, 200, 100 * 1024);
    HostileZip zip = HostileZip.of(valid).file("docs/big.md", randomText(65 * 1024));

    PackageException e = sandbox.refuse(zip(zip), ReadOptions.defaults().withLimits(small));

    assertThat(e.reason()).isEqualTo(Reason.ENTRY_TOO_LARGE);
    assertThat(e).hasMessage("entry [docs/big.md] inflates past the limit of 65536 bytes");
  }

  /** The headers claim 100 bytes; the reader counts the 1 MiB the data actually inflates to. */
  @Test
  void importRejectsEntryWhoseHeadersUnderstateItsSize() {
    Limits small = new Limits(10_000, 64 * 1024, 512 * MIB, 200, 100 * 1024);
    byte[] bytes = HostileZip.of(valid).file("docs/big.md", randomText((int) MIB)).toBytes();
    byte[] lying = HostileZip.patch(bytes, "docs/big.md", HostileZip.Field.UNCOMPRESSED_SIZE, 100);

    PackageException e =
        sandbox.refuse(
            HostileZip.write(tmp.resolve("lying.zip"), lying),
            ReadOptions.defaults().withLimits(small));

    assertThat(e.reason()).isEqualTo(Reason.ENTRY_TOO_LARGE);
    assertThat(e).hasMessage("entry [docs/big.md] inflates past the limit of 65536 bytes");
  }

  @Test
  void importRejectsArchiveInflatingPastTotalLimit() {
    long validBytes = valid.values().stream().mapToLong(b -> b.length).sum();
    Limits total = new Limits(10_000, MIB, validBytes + 2 * 8000 + 100, 200, 100 * 1024);
    HostileZip zip =
        HostileZip.of(valid)
            .file("docs/a.md", randomText(8000))
            .file("docs/b.md", randomText(8000))
            .file("docs/c.md", randomText(8000));

    PackageException e = sandbox.refuse(zip(zip), ReadOptions.defaults().withLimits(total));

    assertThat(e.reason()).isEqualTo(Reason.TOTAL_TOO_LARGE);
    assertThat(e)
        .hasMessage(
            "archive inflates past the total limit of "
                + total.maxTotalBytes()
                + " bytes at entry [docs/c.md]");
  }

  @Test
  void importRejectsZipBombByCompressionRatio() {
    HostileZip zip = HostileZip.of(valid).file("docs/zeros.md", new byte[10_000_000]);

    PackageException e = sandbox.refuse(zip(zip));

    assertThat(e.reason()).isEqualTo(Reason.COMPRESSION_RATIO);
    assertThat(e.getMessage())
        .matches(
            "entry \\[docs/zeros\\.md\\] inflated \\d+ bytes from \\d+ compressed bytes, over the"
                + " limit of 200:1");
  }

  @Test
  void importRejectsEncryptedEntry() {
    byte[] bytes = HostileZip.of(valid).file("docs/secret.md", "secret\n").toBytes();
    byte[] encrypted = HostileZip.patch(bytes, "docs/secret.md", HostileZip.Field.FLAGS, 0x0801);

    PackageException e = sandbox.refuse(HostileZip.write(tmp.resolve("encrypted.zip"), encrypted));

    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ENTRY);
    assertThat(e)
        .hasMessage(
            "entry [docs/secret.md] is encrypted or uses an unsupported compression method");
  }

  /**
   * PPMd (98) has no decoder; Zstandard (93), XZ (95) and LZMA (14) have one only with optional
   * libraries, and without them commons-compress fails with an Error, not an exception.
   */
  @ParameterizedTest
  @ValueSource(ints = {98, 93, 95, 14, 6, 1})
  void importRejectsUnsupportedCompressionMethod(int method) {
    byte[] bytes = HostileZip.of(valid).stored("docs/odd.md", utf8("odd method\n")).toBytes();
    byte[] odd = HostileZip.patch(bytes, "docs/odd.md", HostileZip.Field.METHOD, method);

    PackageException e = sandbox.refuse(HostileZip.write(tmp.resolve("odd.zip"), odd));

    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ENTRY);
    assertThat(e)
        .hasMessage("entry [docs/odd.md] is encrypted or uses an unsupported compression method");
  }

  static Stream<Arguments> notZips() {
    byte[] random = new byte[4096];
    new Random(7).nextBytes(random);
    return Stream.of(
        Arguments.of("random bytes", (UnaryOperator<byte[]>) valid -> random),
        Arguments.of("empty file", (UnaryOperator<byte[]>) valid -> new byte[0]),
        Arguments.of(
            "first half", (UnaryOperator<byte[]>) valid -> Arrays.copyOf(valid, valid.length / 2)),
        Arguments.of(
            "last byte cut",
            (UnaryOperator<byte[]>) valid -> Arrays.copyOf(valid, valid.length - 1)),
        Arguments.of("text", (UnaryOperator<byte[]>) valid -> utf8("PK but not really\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notZips")
  void importRejectsFileThatIsNotAZip(String what, UnaryOperator<byte[]> damage) throws Exception {
    byte[] validBytes = Files.readAllBytes(Packages.valid(tmp.resolve("again")));
    Path zip = HostileZip.write(tmp.resolve("broken.zip"), damage.apply(validBytes));

    PackageException e = sandbox.refuse(zip);

    assertThat(e.reason()).isEqualTo(Reason.NOT_A_ZIP);
    assertThat(e.getMessage()).startsWith("cannot read [broken.zip] as a ZIP: ");
  }

  @Test
  void importRefusesNonEmptyTargetWithoutTouchingIt() throws Exception {
    Path keep = Files.writeString(sandbox.target().resolve("keep.txt"), "mine");
    Path zip = zip(HostileZip.of(valid));

    Throwable thrown = catchThrowable(() -> sandbox.read(zip, ReadOptions.defaults()));

    assertThat(thrown).isInstanceOf(PackageException.class);
    assertThat(((PackageException) thrown).reason()).isEqualTo(Reason.IO_ERROR);
    assertThat(thrown).hasMessage("extraction folder [" + sandbox.target() + "] is not empty");
    assertThat(keep).hasContent("mine");
  }

  private PackageException refuseWithExtra(String name) {
    return refuse(HostileZip.of(valid).file(name, "hostile\n"));
  }

  private PackageException refuse(HostileZip zip) {
    return sandbox.refuse(zip(zip));
  }

  private Path zip(HostileZip zip) {
    return zip.writeTo(tmp.resolve("hostile.zip"));
  }

  /** Text that does not compress far, so only the size limits apply. */
  private static byte[] randomText(int length) {
    Random random = new Random(length);
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) ('!' + random.nextInt(90));
    }
    return out;
  }
}
