package dev.cas.packaging;

import dev.cas.packaging.PackageException.Reason;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of {@code frontend} a schema cannot say, and the reading of its older form. Runs after
 * the schema check: shapes and patterns are already right here.
 *
 * <p>The older form lists plain strings: a component {@code "t"} is read as {@code {"tag": "t",
 * "module": "t.js"}}, a route {@code "/p"} as {@code {"path": "/p", "title": <plugin name>,
 * "component": <the first component>}}, each with a warning.
 */
final class FrontendRules {

  /** Names the custom elements specification reserves although they hold a hyphen. */
  private static final Set<String> RESERVED_TAGS =
      Set.of(
          "annotation-xml",
          "color-profile",
          "font-face",
          "font-face-src",
          "font-face-uri",
          "font-face-format",
          "font-face-name",
          "missing-glyph");

  private FrontendRules() {}

  /** Rewrites the older string form in place and checks tags, paths and references. */
  static void apply(JsonNode tree, List<String> warnings) {
    if (!(tree.get("frontend") instanceof ObjectNode frontend)) {
      return;
    }
    Set<String> tags = new HashSet<>();
    String firstTag = null;
    if (frontend.get("components") instanceof ArrayNode components) {
      for (int i = 0; i < components.size(); i++) {
        String field = "frontend.components[" + i + "]";
        if (components.get(i).isString()) {
          String tag = components.get(i).asString();
          ObjectNode object = frontend.objectNode().put("tag", tag).put("module", tag + ".js");
          components.set(i, object);
          warnings.add(
              field
                  + ": the string form is deprecated; write {\"tag\": \""
                  + tag
                  + "\", \"module\": \""
                  + tag
                  + ".js\"}");
        }
        String tag = components.get(i).get("tag").asString();
        if (RESERVED_TAGS.contains(tag)) {
          throw invalid(field + ".tag", "custom-element-name", "[" + tag + "] is a reserved name");
        }
        if (!tags.add(tag)) {
          throw invalid(field + ".tag", "unique-tag", "[" + tag + "] is listed twice");
        }
        firstTag = firstTag == null ? tag : firstTag;
      }
    }
    if (frontend.get("routes") instanceof ArrayNode routes) {
      Set<String> paths = new HashSet<>();
      for (int i = 0; i < routes.size(); i++) {
        String field = "frontend.routes[" + i + "]";
        if (routes.get(i).isString()) {
          String path = routes.get(i).asString();
          if (firstTag == null) {
            throw invalid(
                field, "route-component", "route [" + path + "] has no component to show");
          }
          routes.set(
              i,
              frontend
                  .objectNode()
                  .put("path", path)
                  .put("title", tree.get("name").asString())
                  .put("component", firstTag));
          warnings.add(
              field
                  + ": the string form is deprecated; write {\"path\": \""
                  + path
                  + "\", \"title\": …, \"component\": \""
                  + firstTag
                  + "\"}");
        }
        JsonNode route = routes.get(i);
        String path = route.get("path").asString();
        if (!paths.add(path)) {
          throw invalid(field + ".path", "unique-path", "[" + path + "] is listed twice");
        }
        String component = route.get("component").asString();
        if (!tags.contains(component)) {
          throw invalid(
              field + ".component",
              "route-component",
              "[" + component + "] is not one of frontend.components' tags " + sorted(tags));
        }
      }
    }
  }

  /**
   * Each component's module is a file of the package under {@code frontend/dist/}. A component of
   * the older string form only warns: its module name was never part of the manifest.
   */
  static void checkModules(Manifest manifest, Set<String> present, List<String> warnings) {
    List<Manifest.Component> components = manifest.frontend().components();
    for (int i = 0; i < components.size(); i++) {
      String path = PackageLayout.FRONTEND_DIST + components.get(i).module();
      String field = "frontend.components[" + i + "]";
      boolean stringForm =
          warnings.stream().anyMatch(w -> w.startsWith(field + ": the string form"));
      if (!present.contains(path) && stringForm) {
        warnings.add(
            field + ": file [" + path + "] is not in the package; the component cannot be shown");
      } else if (!present.contains(path)) {
        throw new PackageException(
            Reason.REFERENCED_FILE_MISSING,
            path,
            "file ["
                + path
                + "] named by frontend.components["
                + i
                + "].module is not in the package");
      }
    }
  }

  private static List<String> sorted(Set<String> tags) {
    return tags.stream().sorted().toList();
  }

  private static PackageException invalid(String field, String rule, String message) {
    return new PackageException(
        Reason.MANIFEST_INVALID,
        field,
        "plugin.json field [" + field + "] breaks rule [" + rule + "]: " + message);
  }
}
