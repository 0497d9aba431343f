package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import tools.jackson.databind.JsonNode;

/**
 * Makes a package from a plugin folder laid out like the package. The ZIP is deterministic: entries
 * sorted by path, one fixed timestamp, fixed permissions, fixed compression, so the same inputs
 * give byte-identical packages. The writer adds {@code metadata.json}, a generated {@code
 * README.md} (unless the folder has one), {@code checksum.sha256}, and {@code signature.sig} when
 * given a key. It refuses a folder whose manifest or contents the reader would refuse.
 */
public final class PackageWriter {

  /**
   * Every entry's time: 1980-01-01 00:00:02, the earliest DOS time commons-compress stores as is in
   * every time zone. It reads 00:00:00 as "before 1980" (unless the zone is the one it cached at
   * class loading) and then adds extended-time extra fields, which would make the bytes depend on
   * the JVM's default time zone.
   */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

  private static final int FILE_MODE = 0100644;

  private final Instant createdAt;
  private final String createdBy;
  private final String tool;
  private final Metadata.SourceSystem sourceSystem;
  private final boolean includeData;
  private final boolean strict;
  private final Optional<PrivateKey> signingKey;

  private PackageWriter(Builder b) {
    this.createdAt = b.createdAt;
    this.createdBy = b.createdBy;
    this.tool = b.tool;
    this.sourceSystem = b.sourceSystem;
    this.includeData = b.includeData;
    this.strict = b.strict;
    this.signingKey = Optional.ofNullable(b.signingKey);
  }

  /** A builder with the defaults: now, no data, lenient manifest, unsigned. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What was written.
   *
   * @param zip the package file
   * @param manifest its manifest
   * @param sha256 the SHA-256 of the package file
   * @param files the files in it, sorted
   * @param signerKeyId the key id it was signed with
   * @param warnings what the manifest checks noticed
   */
  public record Result(
      Path zip,
      Manifest manifest,
      String sha256,
      List<PackageFile> files,
      Optional<String> signerKeyId,
      List<String> warnings) {}

  /**
   * Packages {@code pluginDir} into {@code out}, replacing it atomically.
   *
   * @throws PackageException when the folder's manifest or contents would be refused on import
   */
  public Result write(Path pluginDir, Path out) {
    Map<String, Path> sources = collect(pluginDir);
    List<String> warnings = new ArrayList<>();
    ManifestParser parser = strict ? ManifestParser.strict() : ManifestParser.lenient();
    if (!sources.containsKey(PackageLayout.MANIFEST)) {
      throw new PackageException(
          Reason.MANIFEST_MISSING,
          PackageLayout.MANIFEST,
          "[" + pluginDir + "] has no plugin.json");
    }
    ManifestParser.Result parsed = parser.parse(read(sources.get(PackageLayout.MANIFEST)));
    warnings.addAll(parsed.warnings());
    Manifest manifest = parsed.manifest();
    ContentChecker.check(pluginDir, manifest, List.copyOf(sources.keySet()), strict, warnings);

    Map<String, byte[]> generated = new TreeMap<>(ChecksumFile.PATH_ORDER);
    if (!sources.containsKey(PackageLayout.README)) {
      generated.put(
          PackageLayout.README,
          ReadmeGenerator.generate(manifest, docsIndex(pluginDir, sources))
              .getBytes(StandardCharsets.UTF_8));
    }
    Optional<PublicKey> publicKey = signingKey.map(PemKeys::publicKeyOf);
    generated.put(PackageLayout.METADATA, metadata(sources, publicKey));

    List<ChecksumFile.Entry> sums = new ArrayList<>();
    sources.forEach(
        (path, file) -> sums.add(new ChecksumFile.Entry(ChecksumFile.sha256(file), path)));
    generated.forEach(
        (path, bytes) -> sums.add(new ChecksumFile.Entry(ChecksumFile.sha256(bytes), path)));
    byte[] checksums = new ChecksumFile(sums).toBytes();
    generated.put(PackageLayout.CHECKSUMS, checksums);
    signingKey.ifPresent(
        key -> generated.put(PackageLayout.SIGNATURE, SignatureVerifier.sign(checksums, key)));

    List<PackageFile> files = writeZip(sources, generated, out);
    return new Result(
        out, manifest, ChecksumFile.sha256(out), files, publicKey.map(PemKeys::keyId), warnings);
  }

  /**
   * The folder's files by package path. Hidden files and folders (names starting with {@code .})
   * are left out; {@code data/} only when data is included; files the writer generates are
   * replaced.
   */
  private Map<String, Path> collect(Path pluginDir) {
    if (!Files.isDirectory(pluginDir)) {
      throw new PackageException(
          Reason.IO_ERROR, pluginDir.toString(), "[" + pluginDir + "] is not a folder");
    }
    Map<String, Path> files = new TreeMap<>(ChecksumFile.PATH_ORDER);
    try (Stream<Path> walk = Files.walk(pluginDir)) {
      for (Path p : walk.toList()) {
        String path = pluginDir.relativize(p).toString().replace('\\', '/');
        if (path.isEmpty() || isHidden(path)) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          throw new PackageException(
              Reason.SYMLINK, path, "[" + path + "] is a symbolic link; packages hold only files");
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || skipped(path)) {
          continue;
        }
        PackageLayout.checkPath(path);
        files.put(path, p);
      }
    } catch (IOException e) {
      throw new PackageException(Reason.IO_ERROR, pluginDir.toString(), "cannot read folder", e);
    }
    return files;
  }

  private boolean skipped(String path) {
    return path.equals(PackageLayout.METADATA)
        || path.equals(PackageLayout.CHECKSUMS)
        || path.equals(PackageLayout.SIGNATURE)
        || (!includeData && path.startsWith("data/"));
  }

  private static boolean isHidden(String path) {
    for (String segment : path.split("/")) {
      if (segment.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private byte[] metadata(Map<String, Path> sources, Optional<PublicKey> publicKey) {
    boolean source =
        sources.keySet().stream()
            .anyMatch(p -> p.startsWith("backend/src/") || p.startsWith("frontend/src/"));
    boolean compiled =
        sources.keySet().stream()
            .anyMatch(p -> p.startsWith("backend/dist/") || p.startsWith("frontend/dist/"));
    boolean data = carriesRecords(sources.get(PackageLayout.DATA_EXPORT));
    Optional<Metadata.Signing> signing =
        publicKey.map(
            k -> new Metadata.Signing(SignatureAlgorithm.forKey(k).jcaName(), PemKeys.keyId(k)));
    Metadata metadata =
        new Metadata(
            Metadata.FORMAT_VERSION,
            DateTimeFormatter.ISO_INSTANT.format(createdAt),
            createdBy,
            tool,
            sourceSystem,
            source,
            compiled,
            data,
            signing);
    String json = Json.MAPPER.writeValueAsString(metadata).replace("\r\n", "\n") + "\n";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether data/export.json carries table rows ({@code records} with a table): what {@code
   * includesData} means. Configuration alone is not data.
   */
  private static boolean carriesRecords(Path dataExport) {
    if (dataExport == null) {
      return false;
    }
    JsonNode records = Json.MAPPER.readTree(read(dataExport)).get("records");
    return records != null && records.isObject() && !records.isEmpty();
  }

  private static List<Map.Entry<String, String>> docsIndex(Path dir, Map<String, Path> sources) {
    if (!sources.containsKey(PackageLayout.DOCS_INDEX)) {
      return List.of();
    }
    JsonNode index = Json.MAPPER.readTree(read(dir.resolve(PackageLayout.DOCS_INDEX)));
    List<Map.Entry<String, String>> docs = new ArrayList<>();
    for (JsonNode doc : index) {
      String file = doc.get("file").asString();
      docs.add(
          new AbstractMap.SimpleEntry<>(
              doc.get("title").asString(), file.startsWith("docs/") ? file : "docs/" + file));
    }
    return docs;
  }

  private static List<PackageFile> writeZip(
      Map<String, Path> sources, Map<String, byte[]> generated, Path out) {
    Map<String, Object> all = new TreeMap<>(ChecksumFile.PATH_ORDER);
    all.putAll(sources);
    all.putAll(generated);
    long entryTime = ENTRY_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    List<PackageFile> files = new ArrayList<>();
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(tmp)) {
        zip.setEncoding("UTF-8");
        zip.setUseLanguageEncodingFlag(true);
        zip.setCreateUnicodeExtraFields(ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        zip.setMethod(ZipArchiveEntry.DEFLATED);
        for (Map.Entry<String, Object> e : all.entrySet()) {
          ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
          entry.setTime(entryTime);
          entry.setUnixMode(FILE_MODE);
          // A known size keeps commons-compress from reserving a ZIP64 extra field in each local
          // header, so entries carry no extra fields at all.
          entry.setSize(
              e.getValue() instanceof Path p ? Files.size(p) : ((byte[]) e.getValue()).length);
          zip.putArchiveEntry(entry);
          long size;
          if (e.getValue() instanceof Path p) {
            try (InputStream in = Files.newInputStream(p)) {
              size = in.transferTo(zip);
            }
          } else {
            byte[] bytes = (byte[]) e.getValue();
            zip.write(bytes);
            size = bytes.length;
          }
          zip.closeArchiveEntry();
          files.add(new PackageFile(e.getKey(), size));
        }
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return files;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new PackageException(
          Reason.IO_ERROR, out.toString(), "cannot write [" + out + "]: " + e, e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new PackageException(Reason.IO_ERROR, file.toString(), "cannot read [" + file + "]", e);
    }
  }

  /** Builds a {@link PackageWriter}; every setting has a default. */
  public static final class Builder {
    private Instant createdAt = Instant.now();
    private String createdBy = System.getProperty("user.name", "");
    private String tool = "cas " + CasVersion.current();
    private Metadata.SourceSystem sourceSystem = CasVersion.sourceSystem("");
    private boolean includeData;
    private boolean strict;
    private PrivateKey signingKey;

    private Builder() {}

    /** When the package is made; fix it (e.g. from SOURCE_DATE_EPOCH) for reproducible output. */
    public Builder createdAt(Instant value) {
      this.createdAt = Objects.requireNonNull(value, "createdAt");
      return this;
    }

    /** Who makes the package. */
    public Builder createdBy(String value) {
      this.createdBy = Objects.requireNonNull(value, "createdBy");
      return this;
    }

    /** The tool and version that makes it, e.g. {@code cas 1.0.0}. */
    public Builder tool(String value) {
      this.tool = Objects.requireNonNull(value, "tool");
      return this;
    }

    /** The system the package comes from. */
    public Builder sourceSystem(Metadata.SourceSystem value) {
      this.sourceSystem = Objects.requireNonNull(value, "sourceSystem");
      return this;
    }

    /** Whether to include {@code data/}. */
    public Builder includeData(boolean value) {
      this.includeData = value;
      return this;
    }

    /** Whether unknown manifest fields and permissions refuse the folder. */
    public Builder strict(boolean value) {
      this.strict = value;
      return this;
    }

    /** Signs the package with this private key (RSA 2048+ or Ed25519). */
    public Builder signWith(PrivateKey key) {
      SignatureAlgorithm.forKey(key);
      this.signingKey = key;
      return this;
    }

    /** Copies when, by whom, with what tool and on which system an existing package was made. */
    public Builder from(Metadata metadata) {
      this.createdAt = Instant.parse(metadata.createdAt());
      this.createdBy = metadata.createdBy();
      this.tool = metadata.tool();
      this.sourceSystem = metadata.sourceSystem();
      return this;
    }

    /** The writer. */
    public PackageWriter build() {
      return new PackageWriter(this);
    }
  }
}
