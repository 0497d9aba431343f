package dev.cas.plugins.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's first command, as written (with a fresh data folder and a free port): {@code ./cas
 * server --with-samples} starts the host on the embedded PostgreSQL with the three sample plugins
 * active under the sandbox agent, prints the generated admin password, and the printed password
 * signs in. Runs after the sample packages are built.
 */
class ReadmeServerCommandIT {

  private static final Pattern PASSWORD =
      Pattern.compile(
          "cas: created user \\[admin\\] with a generated password \\(also in (.+)\\): (\\S+)");
  private static final Pattern READY = Pattern.compile("host ready on (http://localhost:\\d+)");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path tmp;

  @Test
  void serverWithSamplesStartsAndServesThem() throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    Path data = tmp.resolve("cas-data");
    ProcessBuilder pb =
        new ProcessBuilder(
                repo.resolve("cas").toString(),
                "server",
                "--with-samples",
                "--port",
                "0",
                "--data",
                data.toString())
            .directory(tmp.toFile())
            .redirectErrorStream(true);
    pb.environment().remove("CAS_ADMIN_PASSWORD");
    // The class cache's training would still run in the background when the folder is removed;
    // LauncherClassCacheIT (cas-cli) tests the launcher with it.
    pb.environment().put("CAS_CLASS_CACHE", "off");
    Process server = pb.start();
    List<String> output = new ArrayList<>();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String password = null;
      String base = null;
      while (base == null) {
        String line = out.readLine();
        if (line == null) {
          break;
        }
        output.add(line);
        Matcher p = PASSWORD.matcher(line);
        if (p.find()) {
          password = p.group(2);
          assertThat(Files.readString(Path.of(p.group(1))).strip()).isEqualTo(password);
        }
        Matcher r = READY.matcher(line);
        if (r.find()) {
          base = r.group(1);
        }
      }
      assertThat(base).as(String.join("\n", output)).isNotNull();
      assertThat(password).as(String.join("\n", output)).isNotNull();
      Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> {}));

      HttpClient http = HttpClient.newHttpClient();
      String token =
          JSON.readTree(
                  http.send(
                          HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                              .POST(
                                  HttpRequest.BodyPublishers.ofString(
                                      "{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body())
              .get("data")
              .get("token")
              .asString();
      JsonNode plugins = get(http, base + "/api/plugins", token);
      List<String> states = new ArrayList<>();
      plugins.forEach(p -> states.add(p.get("id").asString() + ":" + p.get("state").asString()));
      assertThat(states)
          .containsExactly("ldap-auth:active", "rag-retrieval:active", "text-block:active");
      for (String id : List.of("ldap-auth", "rag-retrieval", "text-block")) {
        assertThat(
                get(http, base + "/api/plugins/" + id + "/status", token)
                    .get("sandbox")
                    .get("enforced")
                    .asBoolean())
            .as(id)
            .isTrue();
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static JsonNode get(HttpClient http, String url, String token) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("data");
  }
}
