package dev.cas.packaging;

import static dev.cas.packaging.Packages.text;
import static dev.cas.packaging.Packages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.PackageException.Reason;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One package per rule of FORMAT.md and {@code plugin.schema.json}, each breaking only that rule,
 * with valid checksums so that the manifest checks are what refuses it.
 */
class ManifestRulesTest {

  private static final String LONG_ID = "a" + "b".repeat(64);

  @TempDir Path tmp;

  private Sandbox sandbox;
  private Map<String, byte[]> valid;

  @BeforeEach
  void validPackage() {
    valid = Packages.entries(Packages.valid(tmp));
    sandbox = new Sandbox(tmp);
  }

  static Stream<Arguments> brokenRules() {
    return Stream.of(
        rule(
            "id pattern",
            manifest("\"id\": \"text-block\"", "\"id\": \"Text_Block\""),
            Reason.MANIFEST_INVALID,
            "id",
            "plugin.json field [id] breaks rule [pattern]: does not match the regex pattern"
                + " ^[a-z][a-z0-9]*([.-][a-z0-9]+)*$"),
        rule(
            "id too short",
            manifest("\"id\": \"text-block\"", "\"id\": \"ab\""),
            Reason.MANIFEST_INVALID,
            "id",
            "plugin.json field [id] breaks rule [minLength]: must be at least 3 characters long"),
        rule(
            "id too long",
            manifest("\"id\": \"text-block\"", "\"id\": \"" + LONG_ID + "\""),
            Reason.MANIFEST_INVALID,
            "id",
            "plugin.json field [id] breaks rule [maxLength]: must be at most 64 characters long"),
        rule(
            "name empty",
            manifest("\"name\": \"Text block\"", "\"name\": \"\""),
            Reason.MANIFEST_INVALID,
            "name",
            "plugin.json field [name] breaks rule [minLength]: must be at least 1 characters long"),
        rule(
            "name too long",
            manifest("\"name\": \"Text block\"", "\"name\": \"" + "n".repeat(101) + "\""),
            Reason.MANIFEST_INVALID,
            "name",
            "plugin.json field [name] breaks rule [maxLength]: must be at most 100 characters long"),
        rule(
            "version not semver",
            manifest("\"version\": \"1.2.0\"", "\"version\": \"1.2\""),
            Reason.MANIFEST_INVALID,
            "version",
            "plugin.json field [version] breaks rule [pattern]: does not match the regex pattern"
                + " ^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)…"),
        rule(
            "version leading zero",
            manifest("\"version\": \"1.2.0\"", "\"version\": \"01.2.0\""),
            Reason.MANIFEST_INVALID,
            "version",
            "plugin.json field [version] breaks rule [pattern]: does not match the regex pattern"
                + " ^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)…"),
        rule(
            "description empty",
            manifest(
                "\"description\": \"Per-user text blocks for the dashboard.\"",
                "\"description\": \"\""),
            Reason.MANIFEST_INVALID,
            "description",
            "plugin.json field [description] breaks rule [minLength]: must be at least 1 characters"
                + " long"),
        rule(
            "description too long",
            manifest(
                "\"description\": \"Per-user text blocks for the dashboard.\"",
                "\"description\": \"" + "d".repeat(501) + "\""),
            Reason.MANIFEST_INVALID,
            "description",
            "plugin.json field [description] breaks rule [maxLength]: must be at most 500 characters"
                + " long"),
        rule(
            "required field missing",
            manifest("\"description\": \"Per-user text blocks for the dashboard.\",", ""),
            Reason.MANIFEST_INVALID,
            "description",
            "plugin.json field [description] breaks rule [required]: required property"
                + " 'description' not found"),
        rule(
            "entry not named after id",
            manifest(
                "\"entry\": \"backend/dist/text-block.jar\"",
                "\"entry\": \"backend/dist/other.jar\""),
            Reason.MANIFEST_INVALID,
            "entry",
            "plugin.json field [entry] breaks rule [entry-path]: must be [backend/dist/text-block.jar]"
                + " but was [backend/dist/other.jar]"),
        rule(
            "entry outside backend/dist",
            manifest(
                "\"entry\": \"backend/dist/text-block.jar\"",
                "\"entry\": \"backend/lib/text-block.jar\""),
            Reason.MANIFEST_INVALID,
            "entry",
            "plugin.json field [entry] breaks rule [pattern]: does not match the regex pattern"
                + " ^backend/dist/[a-z][a-z0-9]*([.-][a-z0-9]+)*\\.jar$"),
        rule(
            "main missing when entry set",
            manifest("\"main\": \"dev.cas.example.TextBlockPlugin\",", ""),
            Reason.MANIFEST_INVALID,
            "entry",
            "plugin.json field [entry] breaks rule [dependentRequired]: has a missing property 'main'"
                + " which is dependent required because 'entry' is present"),
        rule(
            "main without entry",
            manifest("\"entry\": \"backend/dist/text-block.jar\",", ""),
            Reason.MANIFEST_INVALID,
            "main",
            "plugin.json field [main] breaks rule [dependentRequired]: has a missing property 'entry'"
                + " which is dependent required because 'main' is present"),
        rule(
            "main not a class name",
            manifest(
                "\"main\": \"dev.cas.example.TextBlockPlugin\"",
                "\"main\": \"dev/cas/Plugin.class\""),
            Reason.MANIFEST_INVALID,
            "main",
            "plugin.json field [main] breaks rule [pattern]: does not match the regex pattern"
                + " ^([A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*$"),
        rule(
            "bad status",
            manifest("\"status\": \"active\"", "\"status\": \"running\""),
            Reason.MANIFEST_INVALID,
            "status",
            "plugin.json field [status] breaks rule [enum]: does not have a value in the enumeration"
                + " [\"active\", \"inactive\", \"enabled\", \"disabled\"]"),
        rule(
            "bad casVersion range",
            manifest("\"casVersion\": \">=1.0.0\"", "\"casVersion\": \"not a range\""),
            Reason.MANIFEST_INVALID,
            "compatibility.casVersion",
            "plugin.json field [compatibility.casVersion] breaks rule [semver-range]: [not a range] is"
                + " not an npm-style version range"),
        rule(
            "bad javaVersion range",
            manifest("\"javaVersion\": \">=21\"", "\"javaVersion\": \">>21\""),
            Reason.MANIFEST_INVALID,
            "compatibility.javaVersion",
            "plugin.json field [compatibility.javaVersion] breaks rule [semver-range]: [>>21] is not"
                + " an npm-style version range"),
        rule(
            "bad dependency range",
            manifest("\"@cas/plugin-api\": \"^1.0.0\"", "\"@cas/plugin-api\": \"banana\""),
            Reason.MANIFEST_INVALID,
            "compatibility.dependencies.@cas/plugin-api",
            "plugin.json field [compatibility.dependencies.@cas/plugin-api] breaks rule [semver-range]:"
                + " [banana] is not an npm-style version range"),
        rule(
            "self dependency",
            manifest(
                "\"@cas/plugin-api\": \"^1.0.0\"",
                "\"@cas/plugin-api\": \"^1.0.0\", \"text-block\": \"^1.0.0\""),
            Reason.MANIFEST_INVALID,
            "compatibility.dependencies.text-block",
            "plugin.json field [compatibility.dependencies.text-block] breaks rule [no-self-dependency]:"
                + " a plugin cannot depend on itself"),
        rule(
            "unknown compatibility key",
            manifest(
                "\"javaVersion\": \">=21\",",
                "\"javaVersion\": \">=21\", \"pythonVersion\": \"3\","),
            Reason.MANIFEST_INVALID,
            "compatibility.pythonVersion",
            "plugin.json field [compatibility.pythonVersion] breaks rule [additionalProperties]:"
                + " property 'pythonVersion' is not defined in the schema and the schema does not allow"
                + " additional properties"),
        rule(
            "config default of the wrong type",
            manifest("\"default\": 14", "\"default\": \"big\""),
            Reason.MANIFEST_INVALID,
            "configSchema.fontSize.default",
            "plugin.json field [configSchema.fontSize.default] breaks rule [default-type]: [\"big\"] is"
                + " not a valid integer"),
        rule(
            "config default not among enum values",
            manifest(
                "\"apiKey\": { \"type\": \"string\", \"secret\": true }",
                "\"apiKey\": { \"type\": \"string\", \"secret\": true },"
                    + " \"mode\": { \"type\": \"enum\", \"enum\": [\"a\", \"b\"], \"default\": \"c\" }"),
            Reason.MANIFEST_INVALID,
            "configSchema.mode.default",
            "plugin.json field [configSchema.mode.default] breaks rule [default-type]: [\"c\"] is not a"
                + " valid enum"),
        rule(
            "enum without values",
            manifest(
                "\"apiKey\": { \"type\": \"string\", \"secret\": true }",
                "\"apiKey\": { \"type\": \"string\", \"secret\": true }, \"mode\": { \"type\": \"enum\" }"),
            Reason.MANIFEST_INVALID,
            "configSchema.mode.enum",
            "plugin.json field [configSchema.mode.enum] breaks rule [required]: required property"
                + " 'enum' not found"),
        rule(
            "enum with empty values",
            manifest(
                "\"apiKey\": { \"type\": \"string\", \"secret\": true }",
                "\"apiKey\": { \"type\": \"string\", \"secret\": true }, \"mode\": { \"type\": \"enum\", \"enum\": [] }"),
            Reason.MANIFEST_INVALID,
            "configSchema.mode.enum",
            "plugin.json field [configSchema.mode.enum] breaks rule [minItems]: must have at least 1"
                + " items but found 0"),
        rule(
            "unknown config type",
            manifest("\"type\": \"integer\"", "\"type\": \"date\""),
            Reason.MANIFEST_INVALID,
            "configSchema.fontSize.type",
            "plugin.json field [configSchema.fontSize.type] breaks rule [enum]: does not have a value"
                + " in the enumeration [\"string\", \"integer\", \"number\", \"boolean\", \"enum\"]"),
        rule(
            "minimum above maximum",
            manifest("\"minimum\": 8, \"maximum\": 72", "\"minimum\": 80, \"maximum\": 72"),
            Reason.MANIFEST_INVALID,
            "configSchema.fontSize",
            "plugin.json field [configSchema.fontSize] breaks rule [minimum-maximum]: minimum is greater"
                + " than maximum"),
        rule(
            "bad regex pattern",
            manifest(
                "\"apiKey\": { \"type\": \"string\", \"secret\": true }",
                "\"apiKey\": { \"type\": \"string\", \"secret\": true, \"pattern\": \"[a-\" }"),
            Reason.MANIFEST_INVALID,
            "configSchema.apiKey.pattern",
            "plugin.json field [configSchema.apiKey.pattern] breaks rule [regex]: Illegal character"
                + " range"),
        rule(
            "migration listed but file missing",
            files -> files.remove("backend/migrations/001_create_blocks.sql"),
            Reason.REFERENCED_FILE_MISSING,
            "backend/migrations/001_create_blocks.sql",
            "file [backend/migrations/001_create_blocks.sql] named by database.migrations is not in the"
                + " package"),
        rule(
            "rollback listed as a migration",
            manifest(
                "\"migrations\": [\"001_create_blocks.sql\"]",
                "\"migrations\": [\"001_create_blocks.sql\", \"001_create_blocks_rollback.sql\"]"),
            Reason.MANIFEST_INVALID,
            "database.migrations",
            "plugin.json field [database.migrations] breaks rule [no-rollback-listed]:"
                + " [001_create_blocks_rollback.sql] is a rollback file; list only the forward migrations"),
        rule(
            "migration name not NNN_name.sql",
            manifest(
                "\"migrations\": [\"001_create_blocks.sql\"]",
                "\"migrations\": [\"create_blocks.sql\"]"),
            Reason.MANIFEST_INVALID,
            "database.migrations[0]",
            "plugin.json field [database.migrations[0]] breaks rule [pattern]: does not match the"
                + " regex pattern ^[0-9]{3,}_[A-Za-z0-9_]+(\\.[a-z0-9]+)?\\.sql$"),
        rule(
            "entry jar missing",
            files -> files.remove("backend/dist/text-block.jar"),
            Reason.REFERENCED_FILE_MISSING,
            "backend/dist/text-block.jar",
            "file [backend/dist/text-block.jar] named by the manifest's [entry] is not in the package"),
        rule(
            "docs index naming a missing file",
            files -> files.remove("docs/overview.md"),
            Reason.REFERENCED_FILE_MISSING,
            "docs/overview.md",
            "file [docs/overview.md] named by docs/index.json item 0 is not in the package"),
        rule(
            "docs index not an array",
            files -> files.put("docs/index.json", utf8("{\"file\": \"overview.md\"}")),
            Reason.CONTENT_INVALID,
            "docs/index.json",
            "docs/index.json is not a JSON array"),
        rule(
            "docs index item without a title (type, title and file are required)",
            files ->
                files.put(
                    "docs/index.json", utf8("[{\"type\":\"readme\",\"file\":\"overview.md\"}]")),
            Reason.CONTENT_INVALID,
            "docs/index.json",
            "docs/index.json item 0 needs string fields [type, title, file]"),
        rule(
            "duplicate JSON keys",
            manifest("\"name\": \"Text block\"", "\"name\": \"Text block\", \"name\": \"Other\""),
            Reason.MANIFEST_MALFORMED,
            "plugin.json",
            "plugin.json is not well-formed JSON: Duplicate Object property \"name\""),
        rule(
            "not JSON",
            files -> files.put("plugin.json", utf8("{ id: text-block")),
            Reason.MANIFEST_MALFORMED,
            "plugin.json",
            "plugin.json is not well-formed JSON: Unexpected character ('i' (code 105)): was"
                + " expecting double-quote to start property name"),
        rule(
            "not an object",
            files -> files.put("plugin.json", utf8("[]")),
            Reason.MANIFEST_MALFORMED,
            "plugin.json",
            "plugin.json is not a JSON object"),
        rule(
            "manifest missing",
            files -> files.remove("plugin.json"),
            Reason.MANIFEST_MISSING,
            "plugin.json",
            "package has no plugin.json"),
        rule(
            "table name not an identifier",
            manifest("\"tables\": [\"text_blocks\"]", "\"tables\": [\"text-blocks\"]"),
            Reason.MANIFEST_INVALID,
            "database.tables[0]",
            "plugin.json field [database.tables[0]] breaks rule [pattern]: does not match the regex"
                + " pattern ^[a-z_][a-z0-9_]{0,62}$"),
        rule(
            "endpoint not a path",
            manifest(
                "\"blocks\": \"/api/plugins/text-block/blocks\"", "\"blocks\": \"api/blocks\""),
            Reason.MANIFEST_INVALID,
            "endpoints.blocks",
            "plugin.json field [endpoints.blocks] breaks rule [pattern]: does not match the regex"
                + " pattern ^/"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRules")
  void importRejectsManifestBreakingRule(
      String rule,
      Consumer<Map<String, byte[]>> breakIt,
      Reason reason,
      String field,
      String message) {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    breakIt.accept(files);

    PackageException e = sandbox.refuse(zip(Packages.rechecksummed(files)));

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.path()).contains(field);
    if (message.endsWith("…")) {
      assertThat(e.getMessage()).startsWith(message.substring(0, message.length() - 1));
    } else {
      assertThat(e).hasMessage(message);
    }
  }

  @Test
  void strictImportRejectsUnknownPermission() {
    Path zip =
        zip(
            Packages.rechecksummed(
                withManifest("\"http.routes\"", "\"http.routes\", \"database.drop\"")));

    PackageException e = sandbox.refuse(zip, ReadOptions.defaults().withStrictManifest(true));

    assertThat(e.reason()).isEqualTo(Reason.MANIFEST_INVALID);
    assertThat(e)
        .hasMessage(
            "plugin.json field [permissions] breaks rule [known-permission]: [database.drop] is not a"
                + " known permission (strict validation)");
  }

  @Test
  void lenientImportWarnsAboutUnknownPermission() {
    Path zip =
        zip(
            Packages.rechecksummed(
                withManifest("\"http.routes\"", "\"http.routes\", \"database.drop\"")));

    PluginPackage read = sandbox.read(zip, ReadOptions.defaults());

    assertThat(read.warnings()).contains("permissions: [database.drop] is not a known permission");
    assertThat(read.manifest().permissions()).contains("database.drop");
  }

  @Test
  void strictImportRejectsUnknownField() {
    Path zip =
        zip(
            Packages.rechecksummed(
                withManifest(
                    "\"status\": \"active\"", "\"status\": \"active\", \"color\": \"red\"")));

    PackageException e = sandbox.refuse(zip, ReadOptions.defaults().withStrictManifest(true));

    assertThat(e.reason()).isEqualTo(Reason.MANIFEST_INVALID);
    assertThat(e)
        .hasMessage(
            "plugin.json field [color] breaks rule [unknown-field]: field [color] is not part of"
                + " format 1 (strict validation)");
  }

  @Test
  void lenientImportWarnsAboutUnknownFieldAndNodeVersion() {
    Path zip =
        zip(
            Packages.rechecksummed(
                withManifest(
                    "\"javaVersion\": \">=21\",",
                    "\"javaVersion\": \">=21\", \"nodeVersion\": \">=18\",")));

    PluginPackage read = sandbox.read(zip, ReadOptions.defaults());

    assertThat(read.warnings())
        .contains(
            "compatibility.nodeVersion: ignored on the Java platform; use javaVersion instead");
  }

  @Test
  void originalStatusNamesAreReadAsTheirJavaEquivalents() {
    Path zip =
        zip(
            Packages.rechecksummed(
                withManifest("\"status\": \"active\"", "\"status\": \"disabled\"")));

    PluginPackage read = sandbox.read(zip, ReadOptions.defaults());

    assertThat(read.manifest().status()).isEqualTo(Manifest.DesiredStatus.INACTIVE);
  }

  @Test
  void strictImportRejectsMigrationWithoutRollback() {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    files.remove("backend/migrations/001_create_blocks_rollback.sql");

    PackageException e =
        sandbox.refuse(
            zip(Packages.rechecksummed(files)), ReadOptions.defaults().withStrictManifest(true));

    assertThat(e.reason()).isEqualTo(Reason.REFERENCED_FILE_MISSING);
    assertThat(e)
        .hasMessage(
            "migration [001_create_blocks.sql] has no rollback"
                + " [backend/migrations/001_create_blocks_rollback.sql]");
  }

  private Map<String, byte[]> withManifest(String from, String to) {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    manifest(from, to).accept(files);
    return files;
  }

  private static Consumer<Map<String, byte[]>> manifest(String from, String to) {
    return files -> {
      String json = text(files.get("plugin.json"));
      assertThat(json).as("fixture manifest").contains(from);
      files.put("plugin.json", utf8(json.replace(from, to)));
    };
  }

  private static Arguments rule(
      String name,
      Consumer<Map<String, byte[]>> breakIt,
      Reason reason,
      String field,
      String message) {
    return Arguments.of(name, breakIt, reason, field, message);
  }

  private Path zip(Map<String, byte[]> files) {
    return HostileZip.of(files).writeTo(tmp.resolve("manifest.zip"));
  }
}
