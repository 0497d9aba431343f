package dev.cas.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cas.packaging.PackageException.Reason;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of damaged and hostile variants of valid packages, signed and unsigned: the reader must
 * either accept a variant or refuse it with a {@link PackageException}, and must never write
 * outside the per-case target folder. The run is reproducible from the seed it prints; set {@code
 * -Dfuzz.seed=…} and {@code -Dfuzz.cases=…} to explore further.
 */
class PackageReaderFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261101L);
  private static final int CASES = Integer.getInteger("fuzz.cases", 5000);

  private static final List<String> HOSTILE_NAMES =
      List.of(
          "../fuzz-escape.txt",
          "backend/../../fuzz-escape.txt",
          "docs/../../../../../fuzz-escape.txt",
          "docs/../../../../../../fuzz-escape.txt",
          "C:/fuzz-escape.txt",
          "c:fuzz-escape.txt",
          "backend\\..\\..\\fuzz-escape.txt",
          "backend//fuzz-escape.txt",
          "backend/./fuzz-escape.txt",
          "docs/fuzz\u0000escape.md",
          "",
          "/",
          "fuzz-escape.txt",
          "README.MD",
          "Plugin.json",
          "docs/cafe\u0301.md",
          "plugin.json/",
          "backend/dist/text-block.jar/x",
          "signature.sig",
          "tests/" + "x".repeat(300));

  private static final List<String> JSON_TOKENS =
      List.of(
          "null",
          "0",
          "-1",
          "1e999",
          "99999999999999999999999",
          "\"\"",
          "[]",
          "{}",
          "true",
          "[null]",
          "{\"type\":\"enum\"}",
          "\"../../x\"",
          "\"backend/dist/text-block.jar\"",
          "\"^1.0.0 || banana\"",
          "\"" + "x".repeat(600) + "\"",
          "\"\\u0000\"",
          "{\"a\":{\"b\":[1,{\"c\":null}]}}",
          "\"sha256:00\"");

  private static final List<String> JSON_KEYS =
      List.of(
          "id",
          "name",
          "version",
          "entry",
          "main",
          "status",
          "permissions",
          "compatibility",
          "configSchema",
          "database",
          "sandbox",
          "frontend",
          "endpoints",
          "signing",
          "formatVersion",
          "keyId",
          "algorithm",
          "file",
          "type",
          "title",
          "records",
          "config",
          "createdAt");

  @TempDir Path tmp;

  private record Item(String name, byte[] data, int mode) {}

  private record Fixture(
      String name, byte[] zip, List<Item> items, ReadOptions options, Optional<PrivateKey> key) {}

  private record Mutant(String kind, byte[] zip, List<String> hostileNames) {}

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void readerRefusesOrAcceptsEveryMutantAndNeverWritesOutsideTheTarget() throws Exception {
    List<Fixture> fixtures = fixtures();
    Path fuzz = Files.createDirectories(tmp.resolve("fuzz"));
    Path target = Files.createDirectories(fuzz.resolve("s1/s2/s3/target"));
    Path zip = fuzz.resolve("case.zip");
    Random seeds = new Random(SEED);
    Map<Reason, Integer> refusals = new EnumMap<>(Reason.class);
    Map<String, Integer> accepted = new TreeMap<>();
    long start = System.nanoTime();

    for (int n = 0; n < CASES; n++) {
      Fixture fixture = fixtures.get(n % fixtures.size());
      long caseSeed = seeds.nextLong();
      Mutant mutant = mutate(fixture, new Random(caseSeed));
      String context =
          "seed "
              + SEED
              + ", case "
              + n
              + " (case seed "
              + caseSeed
              + ", fixture "
              + fixture.name()
              + ", mutation "
              + mutant.kind()
              + ")";
      Files.write(zip, mutant.zip());
      Map<String, Long> before = snapshot(fuzz);

      Throwable thrown = null;
      try {
        PackageReader.create(fixture.options()).read(zip, target);
      } catch (Throwable t) {
        thrown = t;
      }

      if (thrown == null) {
        accepted.merge(mutant.kind(), 1, Integer::sum);
        checkExtracted(target, context);
      } else if (thrown instanceof PackageException e) {
        refusals.merge(e.reason(), 1, Integer::sum);
        // The zip is readable and the target empty: an I/O error can only be a bug in disguise.
        assertThat(e.reason())
            .as("%s: %s%n%s", context, e, stackTrace(e))
            .isNotEqualTo(Reason.IO_ERROR);
        assertThat(Sandbox.children(target)).as("target after refusal, %s", context).isEmpty();
      } else {
        fail("%s: %s is not a PackageException%n%s", context, thrown, stackTrace(thrown));
      }
      Map<String, Long> after = snapshot(fuzz);
      after.keySet().removeIf(p -> p.startsWith("s1/s2/s3/target/"));
      assertThat(after).as("files outside the target, %s", context).isEqualTo(before);
      for (String name : mutant.hostileNames()) {
        Path landing = naive(target, name);
        if (name.contains("fuzz-escape") && !landing.startsWith(target)) {
          assertThat(landing).as("where [%s] would land, %s", name, context).doesNotExist();
        }
      }
      emptyFolder(target);
    }

    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf(
        "fuzz: %d cases from seed %d in %d ms; accepted %s; refused %s%n",
        CASES, SEED, millis, accepted, refusals);
    assertThat(refusals.values().stream().mapToInt(Integer::intValue).sum())
        .isGreaterThan(CASES / 2);
  }

  private List<Fixture> fixtures() throws IOException {
    KeyPair rsa = PemKeys.generate(SignatureAlgorithm.RSA_SHA256, 2048);
    KeyPair ed = PemKeys.generate(SignatureAlgorithm.ED25519, 0);
    Path fixtures = tmp.resolve("fixtures");
    Path unsigned = Packages.valid(fixtures.resolve("unsigned"));
    Path rsaSigned = Packages.signed(fixtures.resolve("rsa"), rsa.getPrivate());
    Path edSigned = Packages.signed(fixtures.resolve("ed25519"), ed.getPrivate());
    Path docsOnly =
        Packages.writer()
            .build()
            .write(
                PluginFolders.createDocsOnly(fixtures.resolve("docs-src")),
                fixtures.resolve("docs.zip"))
            .zip();
    TrustStore trust = TrustStore.of(List.of(rsa.getPublic(), ed.getPublic()));
    Limits tight = new Limits(40, 64 * 1024, 256 * 1024, 20, 4 * 1024);

    List<Item> handMadeItems = new ArrayList<>();
    for (String folder : List.of("backend/", "backend/dist/", "docs/", "data/", "frontend/")) {
      handMadeItems.add(new Item(folder, new byte[0], HostileZip.FOLDER));
    }
    items(unsigned).forEach(i -> handMadeItems.add(new Item(i.name(), i.data(), HostileZip.FAT)));

    List<Fixture> out = new ArrayList<>();
    out.add(fixture("unsigned", unsigned, ReadOptions.defaults(), null));
    out.add(
        fixture(
            "rsa-required",
            rsaSigned,
            ReadOptions.defaults().withSignatures(SignaturePolicy.REQUIRED, trust),
            rsa.getPrivate()));
    out.add(
        fixture(
            "ed25519-strict",
            edSigned,
            ReadOptions.defaults()
                .withStrictManifest(true)
                .withSignatures(SignaturePolicy.IF_PRESENT, trust),
            ed.getPrivate()));
    out.add(
        fixture(
            "docs-only-tight",
            docsOnly,
            ReadOptions.defaults()
                .withLimits(tight)
                .withSignatures(SignaturePolicy.IF_PRESENT, trust),
            null));
    byte[] handMade = zip(handMadeItems);
    out.add(
        new Fixture(
            "hand-made-folders",
            handMade,
            handMadeItems,
            ReadOptions.defaults(),
            Optional.empty()));
    for (Fixture f : out) {
      Path check = Files.write(fixtures.resolve(f.name() + "-check.zip"), f.zip());
      Path checkTarget = fixtures.resolve(f.name() + "-check");
      assertThat(PackageReader.create(f.options()).read(check, checkTarget).manifest().id())
          .as("fixture %s reads", f.name())
          .isNotEmpty();
      Sandbox.deleteTree(checkTarget);
    }
    return out;
  }

  private static Fixture fixture(String name, Path zip, ReadOptions options, PrivateKey key)
      throws IOException {
    return new Fixture(
        name, Files.readAllBytes(zip), items(zip), options, Optional.ofNullable(key));
  }

  private static List<Item> items(Path zip) {
    return Packages.entries(zip).entrySet().stream()
        .map(e -> new Item(e.getKey(), e.getValue(), HostileZip.FILE))
        .toList();
  }

  private Mutant mutate(Fixture f, Random r) {
    byte[] b = f.zip();
    return switch (r.nextInt(16)) {
      case 0, 1 -> new Mutant("flip", flip(b, r), List.of());
      case 2 -> new Mutant("truncate", Arrays.copyOf(b, r.nextInt(b.length)), List.of());
      case 3 -> new Mutant("insert", insert(b, r), List.of());
      case 4 -> new Mutant("delete", delete(b, r), List.of());
      case 5, 6 -> new Mutant("header", scrambleHeader(b, r), List.of());
      case 7 -> renameToHostile(f, r);
      case 8 -> addHostile(f, r);
      case 9 -> duplicate(f, r);
      case 10, 11 -> changeContent(f, r);
      case 12 -> removeEntry(f, r);
      case 13 -> specialMode(f, r);
      case 14 -> mutateJson(f, r);
      default -> reorder(f, r);
    };
  }

  private static byte[] flip(byte[] b, Random r) {
    byte[] out = b.clone();
    for (int k = 1 + r.nextInt(8); k > 0; k--) {
      out[r.nextInt(out.length)] ^= (byte) (1 + r.nextInt(255));
    }
    return out;
  }

  private static byte[] insert(byte[] b, Random r) {
    int at = r.nextInt(b.length + 1);
    byte[] extra = new byte[1 + r.nextInt(64)];
    r.nextBytes(extra);
    byte[] out = new byte[b.length + extra.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(extra, 0, out, at, extra.length);
    System.arraycopy(b, at, out, at + extra.length, b.length - at);
    return out;
  }

  private static byte[] delete(byte[] b, Random r) {
    int at = r.nextInt(b.length);
    int length = Math.min(1 + r.nextInt(64), b.length - at);
    byte[] out = new byte[b.length - length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(b, at + length, out, at, b.length - at - length);
    return out;
  }

  /** Damages the fields of a local header, central record or end record: sizes, counts, offsets. */
  private static byte[] scrambleHeader(byte[] b, Random r) {
    List<Integer> headers = new ArrayList<>();
    for (int i = 0; i + 4 <= b.length; i++) {
      if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] >= 1 && b[i + 2] <= 6) {
        headers.add(i);
      }
    }
    byte[] out = b.clone();
    int header = headers.get(r.nextInt(headers.size()));
    for (int k = 1 + r.nextInt(3); k > 0; k--) {
      int at = Math.min(out.length - 1, header + 4 + r.nextInt(42));
      out[at] =
          switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> (byte) 0xFF;
            case 2 -> (byte) (out[at] + 1);
            default -> (byte) r.nextInt(256);
          };
    }
    return out;
  }

  private Mutant renameToHostile(Fixture f, Random r) {
    List<Item> items = new ArrayList<>(f.items());
    String name = HOSTILE_NAMES.get(r.nextInt(HOSTILE_NAMES.size()));
    int i = r.nextInt(items.size());
    items.set(
        i, new Item(name, items.get(i).data(), r.nextBoolean() ? HostileZip.FILE : HostileZip.FAT));
    return new Mutant("rename-hostile", zip(items), List.of(name));
  }

  private Mutant addHostile(Fixture f, Random r) {
    List<Item> items = new ArrayList<>(f.items());
    String name = HOSTILE_NAMES.get(r.nextInt(HOSTILE_NAMES.size()));
    byte[] data =
        r.nextInt(4) == 0
            ? new byte[r.nextInt(300_000)]
            : "escaped\n".getBytes(StandardCharsets.UTF_8);
    items.add(
        r.nextInt(items.size() + 1),
        new Item(name, data, r.nextBoolean() ? HostileZip.FILE : HostileZip.FAT));
    Map<String, byte[]> files = asMap(items);
    boolean rechecksum = r.nextBoolean() && files.size() == items.size();
    return new Mutant(
        rechecksum ? "add-hostile-rechecksummed" : "add-hostile",
        rechecksum ? zip(fromMap(sealed(f, files, r))) : zip(items),
        List.of(name));
  }

  private Mutant duplicate(Fixture f, Random r) {
    List<Item> items = new ArrayList<>(f.items());
    Item original = items.get(r.nextInt(items.size()));
    String name =
        switch (r.nextInt(3)) {
          case 0 -> original.name();
          case 1 -> original.name().toUpperCase(Locale.ROOT);
          default -> Normalizer.normalize(original.name().replace("e", "é"), Normalizer.Form.NFD);
        };
    byte[] data = r.nextBoolean() ? original.data() : "other\n".getBytes(StandardCharsets.UTF_8);
    items.add(r.nextInt(items.size() + 1), new Item(name, data, HostileZip.FILE));
    return new Mutant("duplicate", zip(items), List.of());
  }

  private Mutant changeContent(Fixture f, Random r) {
    Map<String, byte[]> files = asMap(f.items());
    List<String> names = files.keySet().stream().filter(n -> !n.endsWith("/")).toList();
    String name = names.get(r.nextInt(names.size()));
    byte[] data = files.get(name);
    byte[] changed =
        switch (r.nextInt(3)) {
          case 0 -> data.length == 0 ? new byte[] {1} : flip(data, r);
          case 1 -> Arrays.copyOf(data, data.length == 0 ? 0 : r.nextInt(data.length));
          default -> insert(data, r);
        };
    files.put(name, changed);
    boolean rechecksum = r.nextBoolean();
    return new Mutant(
        rechecksum ? "content-rechecksummed" : "content",
        zip(fromMap(rechecksum ? sealed(f, files, r) : files)),
        List.of());
  }

  private Mutant removeEntry(Fixture f, Random r) {
    Map<String, byte[]> files = asMap(f.items());
    List<String> names = new ArrayList<>(files.keySet());
    files.remove(names.get(r.nextInt(names.size())));
    boolean rechecksum = r.nextBoolean() && files.containsKey(PackageLayout.CHECKSUMS);
    return new Mutant(
        rechecksum ? "remove-rechecksummed" : "remove",
        zip(fromMap(rechecksum ? sealed(f, files, r) : files)),
        List.of());
  }

  private Mutant specialMode(Fixture f, Random r) {
    List<Item> items = new ArrayList<>(f.items());
    int i = r.nextInt(items.size());
    int[] modes = {
      HostileZip.SYMLINK, HostileZip.FIFO, HostileZip.FOLDER, 0140755, 0060644, 0, 0104755
    };
    items.set(
        i, new Item(items.get(i).name(), items.get(i).data(), modes[r.nextInt(modes.length)]));
    return new Mutant("special-mode", zip(items), List.of());
  }

  /**
   * Breaks the JSON of a manifest, metadata, docs index or data file, then re-seals the package.
   */
  private Mutant mutateJson(Fixture f, Random r) {
    Map<String, byte[]> files = asMap(f.items());
    List<String> jsons = files.keySet().stream().filter(n -> n.endsWith(".json")).toList();
    String name = jsons.get(r.nextInt(jsons.size()));
    String json = new String(files.get(name), StandardCharsets.UTF_8);
    String token = JSON_TOKENS.get(r.nextInt(JSON_TOKENS.size()));
    String mutated;
    if (r.nextInt(3) == 0 && json.indexOf('{') >= 0) {
      int brace = json.indexOf('{');
      String key = JSON_KEYS.get(r.nextInt(JSON_KEYS.size()));
      mutated =
          json.substring(0, brace + 1)
              + "\""
              + key
              + "\": "
              + token
              + ","
              + json.substring(brace + 1);
    } else {
      List<Integer> colons = new ArrayList<>();
      for (int i = 0; i < json.length(); i++) {
        if (json.charAt(i) == ':') {
          colons.add(i);
        }
      }
      if (colons.isEmpty()) {
        mutated = token;
      } else {
        int from = colons.get(r.nextInt(colons.size())) + 1;
        int to = from;
        while (to < json.length() && ",}]\n".indexOf(json.charAt(to)) < 0) {
          to++;
        }
        mutated = json.substring(0, from) + " " + token + json.substring(to);
      }
    }
    files.put(name, mutated.getBytes(StandardCharsets.UTF_8));
    return new Mutant("json:" + name, zip(fromMap(sealed(f, files, r))), List.of());
  }

  private Mutant reorder(Fixture f, Random r) {
    List<Item> items = new ArrayList<>(f.items());
    Collections.shuffle(items, r);
    return new Mutant("reorder", zip(items), List.of());
  }

  /** New checksums, and for a signed fixture a new signature most of the time. */
  private static Map<String, byte[]> sealed(Fixture f, Map<String, byte[]> files, Random r) {
    if (f.key().isPresent() && r.nextInt(4) != 0) {
      return Packages.resigned(files, f.key().get());
    }
    return Packages.rechecksummed(files);
  }

  private static Map<String, byte[]> asMap(List<Item> items) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    items.forEach(i -> out.put(i.name(), i.data()));
    return out;
  }

  private static List<Item> fromMap(Map<String, byte[]> files) {
    return files.entrySet().stream()
        .map(
            e ->
                new Item(
                    e.getKey(),
                    e.getValue(),
                    e.getKey().endsWith("/") ? HostileZip.FOLDER : HostileZip.FILE))
        .toList();
  }

  private static byte[] zip(List<Item> items) {
    HostileZip zip = new HostileZip();
    for (Item item : items) {
      if (item.mode() == HostileZip.FOLDER
          && item.name().endsWith("/")
          && item.data().length == 0) {
        zip.folder(item.name());
      } else {
        zip.entry(item.name(), item.data(), item.mode());
      }
    }
    return zip.toBytes();
  }

  /** What an accepted package left: regular files and folders only, all inside the target. */
  private static void checkExtracted(Path target, String context) throws IOException {
    Path root = target.toRealPath();
    try (var walk = Files.walk(target)) {
      for (Path p : walk.toList()) {
        assertThat(Files.isSymbolicLink(p)).as("%s is a link, %s", p, context).isFalse();
        assertThat(
                Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
            .as("%s is a file or folder, %s", p, context)
            .isTrue();
        assertThat(p.toRealPath(LinkOption.NOFOLLOW_LINKS).startsWith(root))
            .as("%s inside target, %s", p, context)
            .isTrue();
      }
    }
  }

  /**
   * The sandbox parent in full, and the temporary folder above it by name: a {@code ..} entry
   * reaches at most that far; names that reach further are checked where they would land.
   */
  private Map<String, Long> snapshot(Path fuzz) {
    Map<String, Long> out = Sandbox.snapshot(fuzz);
    Sandbox.children(tmp).forEach(p -> out.put("../" + p.getFileName(), -2L));
    return out;
  }

  private static Path naive(Path target, String name) {
    String slashed = name.replace('\\', '/').replace("\u0000", "");
    if (slashed.startsWith("/")) {
      return Path.of(slashed);
    }
    return target.resolve(slashed.replaceFirst("^[A-Za-z]:/*", "")).normalize();
  }

  private static void emptyFolder(Path dir) {
    for (Path child : Sandbox.children(dir)) {
      Sandbox.deleteTree(child);
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
