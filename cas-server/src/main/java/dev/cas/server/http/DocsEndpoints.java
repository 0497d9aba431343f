package dev.cas.server.http;

import dev.cas.server.HostException;
import dev.cas.server.http.HttpApi.Call;
import dev.cas.server.http.HttpApi.Json;
import dev.cas.server.http.HttpApi.Reply;
import dev.cas.server.install.PluginLoader;
import dev.cas.server.registry.PluginStore;
import dev.cas.server.security.AuditLog;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * The documentation routes: pages of a plugin by type and format, HTML sanitised on the way in,
 * each change kept as a revision.
 */
final class DocsEndpoints {

  private static final Set<String> DOC_TYPES =
      new java.util.TreeSet<>(
          Set.of(
              "readme",
              "api",
              "user_guide",
              "installation",
              "troubleshooting",
              "changelog",
              "examples"));
  private static final Set<String> DOC_FORMATS =
      new java.util.TreeSet<>(Set.of("markdown", "html", "plain"));

  private final PluginStore store;
  private final PluginLoader loader;
  private final AuditLog audit;
  private final UnaryOperator<String> known;

  /**
   * @param known returns the plugin id when it is installed, else throws NOT_FOUND
   */
  DocsEndpoints(
      PluginStore store, PluginLoader loader, AuditLog audit, UnaryOperator<String> known) {
    this.store = store;
    this.loader = loader;
    this.audit = audit;
    this.known = known;
  }

  HttpApi routes(HttpApi api) {
    return api.route(
            "GET",
            "/api/plugins/{id}/docs",
            HttpApi.Role.USER,
            c -> new HttpApi.Json(200, store.docs(known.apply(c.param("id"))), null))
        .route("GET", "/api/plugins/{id}/docs/{docId}", HttpApi.Role.USER, this::get)
        .route("POST", "/api/plugins/{id}/docs", HttpApi.Role.ADMIN, this::add)
        .route("PUT", "/api/plugins/{id}/docs/{docId}", HttpApi.Role.ADMIN, this::update)
        .route("DELETE", "/api/plugins/{id}/docs/{docId}", HttpApi.Role.ADMIN, this::delete);
  }

  Reply get(Call c) {
    String id = known.apply(c.param("id"));
    return new Json(
        200,
        store
            .doc(id, docId(c))
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND,
                        "plugin [" + id + "] has no doc [" + c.param("docId") + "]")),
        null);
  }

  Reply add(Call c) throws Exception {
    String id = known.apply(c.param("id"));
    PluginStore.Doc doc = docFrom(c, id, null);
    long docId = store.addDoc(id, doc, c.user().orElseThrow().username());
    audit.byCaller("docs.create", id, "ok", doc.title());
    return new Json(201, store.doc(id, docId).orElseThrow(), "doc created");
  }

  Reply update(Call c) throws Exception {
    String id = known.apply(c.param("id"));
    long docId = docId(c);
    Map<String, Object> current =
        store
            .doc(id, docId)
            .orElseThrow(
                () ->
                    new HostException(
                        HostException.Reason.NOT_FOUND,
                        "plugin [" + id + "] has no doc [" + docId + "]"));
    store.updateDoc(id, docId, docFrom(c, id, current), c.user().orElseThrow().username());
    audit.byCaller("docs.update", id, "ok", String.valueOf(docId));
    return new Json(200, store.doc(id, docId).orElseThrow(), "doc updated");
  }

  Reply delete(Call c) {
    String id = known.apply(c.param("id"));
    if (!store.deleteDoc(id, docId(c))) {
      throw new HostException(
          HostException.Reason.NOT_FOUND,
          "plugin [" + id + "] has no doc [" + c.param("docId") + "]");
    }
    audit.byCaller("docs.delete", id, "ok", c.param("docId"));
    return new Json(200, null, "doc deleted");
  }

  private PluginStore.Doc docFrom(Call c, String id, Map<String, Object> current) throws Exception {
    JsonNode b = HttpApi.JSON.readTree(c.bodyBytes());
    String type = field(b, "type", current);
    String format = field(b, "format", current);
    if (!DOC_TYPES.contains(type)) {
      throw new IllegalArgumentException("doc type [" + type + "] is not one of " + DOC_TYPES);
    }
    if (!DOC_FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "doc format [" + format + "] is not one of " + DOC_FORMATS);
    }
    String content = b.has("content") ? b.get("content").asString() : null;
    if (content == null) {
      content = current == null ? "" : (String) current.get("content");
    }
    String file =
        current != null
            ? (String) current.get("file")
            : type
                + "-"
                + System.currentTimeMillis()
                + (format.equals("html") ? ".html" : format.equals("plain") ? ".txt" : ".md");
    return new PluginStore.Doc(
        type,
        field(b, "title", current),
        format,
        b.has("language")
            ? b.get("language").asString()
            : current == null ? "en" : (String) current.get("language"),
        b.has("version")
            ? b.get("version").asString()
            : current == null ? loader.manifestOf(id).version() : (String) current.get("version"),
        file,
        format.equals("html") ? HtmlSanitizer.clean(content) : content);
  }

  private static String field(JsonNode body, String name, Map<String, Object> current) {
    if (body.has(name)) {
      return body.get(name).asString();
    }
    if (current != null) {
      return (String) current.get(name);
    }
    throw new IllegalArgumentException("field [" + name + "] is required");
  }

  private static long docId(Call c) {
    try {
      return Long.parseLong(c.param("docId"));
    } catch (NumberFormatException e) {
      throw new HostException(
          HostException.Reason.NOT_FOUND, "doc id [" + c.param("docId") + "] is not a number");
    }
  }
}
