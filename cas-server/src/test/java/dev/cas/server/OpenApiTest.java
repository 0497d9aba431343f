package dev.cas.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.server.http.HttpApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/openapi.json} is an OpenAPI 3.1 document that lists exactly the routes the server
 * has, with the role each demands, its path parameters, and bearer security where needed.
 */
class OpenApiTest {

  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

  @TempDir static Path tmp;
  static TestHost host;
  static JsonNode doc;

  @BeforeAll
  static void start() {
    host = TestHost.embedded(tmp.resolve("host"));
    TestHost.Response r = host.send("GET", "/api/openapi.json", null, null, null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    doc = r.json();
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void isAnOpenApi31Document() {
    assertThat(doc.get("openapi").asString()).startsWith("3.1.");
    assertThat(doc.get("info").get("title").asString()).isNotBlank();
    assertThat(doc.get("info").get("version").asString()).isNotBlank();
    assertThat(doc.get("paths").isObject()).isTrue();
    assertThat(doc.get("components").get("securitySchemes").get("bearer").get("scheme").asString())
        .isEqualTo("bearer");
  }

  @Test
  void listsEveryRouteOfEndpointsWithItsRole() {
    List<EndpointRoutes.Route> documented = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (METHODS.contains(op.getKey())) {
          documented.add(
              new EndpointRoutes.Route(
                  op.getKey().toUpperCase(Locale.ROOT),
                  path.getKey(),
                  HttpApi.Role.valueOf(
                      op.getValue().get("x-cas-role").asString().toUpperCase(Locale.ROOT))));
        }
      }
    }
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(EndpointRoutes.of(host.server.host()));
  }

  @Test
  void everyOperationDeclaresItsPathParametersResponsesAndSecurity() {
    for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
      List<String> templated = new ArrayList<>();
      Matcher m = PARAMETER.matcher(path.getKey());
      while (m.find()) {
        templated.add(m.group(1));
      }
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (!METHODS.contains(op.getKey())) {
          continue;
        }
        String where = op.getKey() + " " + path.getKey();
        JsonNode operation = op.getValue();
        List<String> declared = new ArrayList<>();
        operation
            .path("parameters")
            .forEach(
                p -> {
                  if (p.get("in").asString().equals("path")) {
                    declared.add(p.get("name").asString());
                  }
                });
        assertThat(declared).as(where).containsExactlyElementsOf(templated);
        assertThat(operation.get("responses").size()).as(where).isPositive();
        boolean isPublic = operation.get("x-cas-role").asString().equals("public");
        assertThat(operation.get("security").toString())
            .as(where)
            .isEqualTo(isPublic ? "[]" : "[{\"bearer\":[]}]");
      }
    }
  }

  /** The plugins' own routes are described once, as the path below a plugin. */
  @Test
  void describesThePluginRoutes() {
    JsonNode pluginRoutes = doc.get("paths").get("/api/plugins/{id}/{path}");
    assertThat(pluginRoutes).isNotNull();
    assertThat(pluginRoutes.get("description").asString()).contains("503", "504", "429");
  }
}
