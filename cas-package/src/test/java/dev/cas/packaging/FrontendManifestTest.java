package dev.cas.packaging;

import static dev.cas.packaging.Packages.text;
import static dev.cas.packaging.Packages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.packaging.PackageException.Reason;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code frontend}: components and routes in their object form, the older string form read with a
 * warning, and each rule refusing a package that breaks it with the field and the reason.
 */
class FrontendManifestTest {

  private static final String COMPONENT =
      "{\"tag\": \"cas-text-block\", \"module\": \"text-block.js\"}";
  private static final String ROUTE =
      "{\"path\": \"/text-blocks\", \"title\": \"Text blocks\", \"component\": \"cas-text-block\","
          + " \"roles\": [\"admin\", \"operator\"]}";

  @TempDir Path tmp;

  private Sandbox sandbox;
  private Map<String, byte[]> valid;

  @BeforeEach
  void validPackage() {
    valid = Packages.entries(Packages.valid(tmp));
    sandbox = new Sandbox(tmp);
  }

  @Test
  void objectFormIsReadAsComponentsAndRoutes() {
    PluginPackage read =
        sandbox.read(zipWith("[" + COMPONENT + "]", "[" + ROUTE + "]"), ReadOptions.defaults());

    assertThat(read.manifest().frontend().components())
        .containsExactly(new Manifest.Component("cas-text-block", "text-block.js"));
    assertThat(read.manifest().frontend().routes())
        .containsExactly(
            new Manifest.Route(
                "/text-blocks", "Text blocks", "cas-text-block", List.of("admin", "operator")));
    assertThat(read.warnings()).noneMatch(w -> w.startsWith("frontend"));
  }

  @Test
  void stringFormIsStillReadWithAWarning() {
    PluginPackage read =
        sandbox.read(
            zipWith("[\"text-block\"]", "[\"/text-blocks\"]"),
            ReadOptions.defaults().withStrictManifest(true));

    assertThat(read.manifest().frontend().components())
        .containsExactly(new Manifest.Component("text-block", "text-block.js"));
    assertThat(read.manifest().frontend().routes())
        .containsExactly(new Manifest.Route("/text-blocks", "Text block", "text-block", List.of()));
    assertThat(read.warnings())
        .contains(
            "frontend.components[0]: the string form is deprecated; write {\"tag\":"
                + " \"text-block\", \"module\": \"text-block.js\"}",
            "frontend.routes[0]: the string form is deprecated; write {\"path\": \"/text-blocks\","
                + " \"title\": …, \"component\": \"text-block\"}");
  }

  @Test
  void aStringComponentWithoutItsModuleIsAWarningNotARefusal() {
    PluginPackage read =
        sandbox.read(zipWith("[\"cas-text-block\"]", "[]"), ReadOptions.defaults());

    assertThat(read.warnings())
        .contains(
            "frontend.components[0]: file [frontend/dist/cas-text-block.js] is not in the"
                + " package; the component cannot be shown");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          tag without hyphen | [{"tag": "textblock", "module": "text-block.js"}] | [] \
            | frontend.components[0].tag | plugin.json field [frontend.components[0].tag] breaks rule [pattern]: does not match the regex pattern ^[a-z][a-z0-9._]*-[a-z0-9._-]*$
          reserved tag | [{"tag": "font-face", "module": "text-block.js"}] | [] \
            | frontend.components[0].tag | plugin.json field [frontend.components[0].tag] breaks rule [custom-element-name]: [font-face] is a reserved name
          tag twice | [{"tag": "cas-a", "module": "text-block.js"}, {"tag": "cas-a", "module": "text-block.js"}] | [] \
            | frontend.components[1].tag | plugin.json field [frontend.components[1].tag] breaks rule [unique-tag]: [cas-a] is listed twice
          module leaving dist | [{"tag": "cas-a", "module": "../backend/dist/text-block.jar"}] | [] \
            | frontend.components[0].module | plugin.json field [frontend.components[0].module] breaks rule [pattern]: does not match the regex pattern ^([A-Za-z0-9_][A-Za-z0-9._-]*/)*[A-Za-z0-9_][A-Za-z0-9._-]*\\.m?js$
          module not a script | [{"tag": "cas-a", "module": "index.html"}] | [] \
            | frontend.components[0].module | plugin.json field [frontend.components[0].module] breaks rule [pattern]: does not match the regex pattern ^([A-Za-z0-9_][A-Za-z0-9._-]*/)*[A-Za-z0-9_][A-Za-z0-9._-]*\\.m?js$
          module missing | [{"tag": "cas-a", "module": "gone.js"}] | [] \
            | frontend/dist/gone.js | file [frontend/dist/gone.js] named by frontend.components[0].module is not in the package
          route path with dots | [{"tag": "cas-a", "module": "text-block.js"}] | [{"path": "/a/../b", "title": "A", "component": "cas-a"}] \
            | frontend.routes[0].path | plugin.json field [frontend.routes[0].path] breaks rule [pattern]: does not match the regex pattern ^/[a-z0-9][a-z0-9/-]*$
          route without title | [{"tag": "cas-a", "module": "text-block.js"}] | [{"path": "/a", "component": "cas-a"}] \
            | frontend.routes[0].title | plugin.json field [frontend.routes[0].title] breaks rule [required]: required property 'title' not found
          route path twice | [{"tag": "cas-a", "module": "text-block.js"}] | [{"path": "/a", "title": "A", "component": "cas-a"}, {"path": "/a", "title": "B", "component": "cas-a"}] \
            | frontend.routes[1].path | plugin.json field [frontend.routes[1].path] breaks rule [unique-path]: [/a] is listed twice
          route of an unlisted component | [{"tag": "cas-a", "module": "text-block.js"}] | [{"path": "/a", "title": "A", "component": "cas-b"}] \
            | frontend.routes[0].component | plugin.json field [frontend.routes[0].component] breaks rule [route-component]: [cas-b] is not one of frontend.components' tags [cas-a]
          route of an unknown role | [{"tag": "cas-a", "module": "text-block.js"}] | [{"path": "/a", "title": "A", "component": "cas-a", "roles": ["root"]}] \
            | frontend.routes[0].roles[0] | plugin.json field [frontend.routes[0].roles[0]] breaks rule [enum]: does not have a value in the enumeration ["admin", "operator", "user"]
          string route without component | [] | ["/a"] \
            | frontend.routes[0] | plugin.json field [frontend.routes[0]] breaks rule [route-component]: route [/a] has no component to show
          """)
  void aBrokenFrontendIsRefusedNamingFieldAndRule(
      String rule, String components, String routes, String field, String message) {
    PackageException e = sandbox.refuse(zipWith(components, routes));

    assertThat(e.reason())
        .isEqualTo(
            field.startsWith("frontend/")
                ? Reason.REFERENCED_FILE_MISSING
                : Reason.MANIFEST_INVALID);
    assertThat(e.path()).contains(field);
    assertThat(e).hasMessage(message);
  }

  private Path zipWith(String components, String routes) {
    Map<String, byte[]> files = new LinkedHashMap<>(valid);
    String json = text(files.get("plugin.json"));
    assertThat(json).contains("\"status\": \"active\"");
    files.put(
        "plugin.json",
        utf8(
            json.replace(
                "\"status\": \"active\"",
                "\"status\": \"active\", \"frontend\": {\"components\": "
                    + components
                    + ", \"routes\": "
                    + routes
                    + "}")));
    return HostileZip.of(Packages.rechecksummed(files)).writeTo(tmp.resolve("frontend.zip"));
  }
}
