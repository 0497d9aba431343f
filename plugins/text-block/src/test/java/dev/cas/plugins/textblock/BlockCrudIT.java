package dev.cas.plugins.textblock;

import static dev.cas.plugins.textblock.PluginHosts.BLOCKS;
import static dev.cas.plugins.textblock.PluginHosts.assertBlockNotFound;
import static dev.cas.plugins.textblock.PluginHosts.blockIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.testkit.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Block CRUD and body validation through the host's HTTP API. */
class BlockCrudIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dataDir;
  private static TestHost host;
  private static String ada;
  private static String validator;

  @BeforeAll
  static void start() {
    host = PluginHosts.startWithPlugin(dataDir);
    ada = host.createUser("ada", "user");
    validator = host.createUser("validator", "user");
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void blockGoesThroughCreateReadUpdateDelete() {
    TestHost.Response created =
        host.post(BLOCKS, ada, "{\"title\": \" Notes \", \"content\": \"Call Bob.\"}");
    assertThat(created.status()).isEqualTo(201);
    JsonNode block = created.data();
    String id = block.get("id").asString();
    assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(created.json().get("message").asString()).isEqualTo("block [" + id + "] created");
    assertThat(block.get("title").asString()).isEqualTo("Notes");
    assertThat(block.get("content").asString()).isEqualTo("Call Bob.");
    assertThat(block.get("position").asInt()).isZero();
    assertThat(block.get("createdAt").asString()).isEqualTo(block.get("updatedAt").asString());

    assertThat(host.get(BLOCKS + "/" + id, ada).data()).isEqualTo(block);
    assertThat(host.get(BLOCKS + "/" + id.toUpperCase(), ada).data()).isEqualTo(block);
    assertThat(blockIds(host.get(BLOCKS, ada))).contains(id);

    TestHost.Response updated =
        host.put(BLOCKS + "/" + id, ada, "{\"content\": \"Call Bob on Monday.\", \"position\": 3}");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().get("message").asString()).isEqualTo("block [" + id + "] updated");
    JsonNode after = updated.data();
    assertThat(after.get("title").asString()).isEqualTo("Notes");
    assertThat(after.get("content").asString()).isEqualTo("Call Bob on Monday.");
    assertThat(after.get("position").asInt()).isEqualTo(3);
    assertThat(after.get("createdAt")).isEqualTo(block.get("createdAt"));
    assertThat(after.get("updatedAt").asString())
        .isGreaterThanOrEqualTo(block.get("updatedAt").asString());
    assertThat(host.get(BLOCKS + "/" + id, ada).data()).isEqualTo(after);

    TestHost.Response deleted = host.delete(BLOCKS + "/" + id, ada);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("message").asString()).isEqualTo("block [" + id + "] deleted");
    assertBlockNotFound(host.get(BLOCKS + "/" + id, ada), id);
    assertBlockNotFound(host.delete(BLOCKS + "/" + id, ada), id);
    assertThat(blockIds(host.get(BLOCKS, ada))).doesNotContain(id);
  }

  @Test
  void listIsInDashboardOrderByPositionThenAge() {
    String user = host.createUser("lister", "user");
    String second = create(user, "{\"title\": \"b\", \"content\": \"\", \"position\": 2}");
    String firstOld = create(user, "{\"title\": \"a1\", \"content\": \"\", \"position\": 1}");
    String firstNew = create(user, "{\"title\": \"a2\", \"content\": \"\", \"position\": 1}");
    String top = create(user, "{\"title\": \"z\", \"content\": \"\"}");

    TestHost.Response list = host.get(BLOCKS, user);

    assertThat(list.status()).isEqualTo(200);
    assertThat(blockIds(list)).containsExactly(top, firstOld, firstNew, second);
  }

  @Test
  void contentIsStoredAsWrittenNotAsMarkup() {
    String content = "<script>alert('x')</script>\n  indented \"quoted\" ünïcödé 😀";
    String body = "{\"title\": \"raw\", \"content\": " + JSON.writeValueAsString(content) + "}";
    String id = create(ada, body);

    assertThat(host.get(BLOCKS + "/" + id, ada).data().get("content").asString())
        .isEqualTo(content);
  }

  static Stream<Arguments> invalidNewBlocks() {
    return Stream.of(
        Arguments.of("not json", "request body is not valid JSON: "),
        Arguments.of(
            "[]",
            "request body must be a JSON object such as {\"title\": \"Notes\", \"content\": \"…\"}"),
        Arguments.of("{\"content\": \"x\"}", "field [title] is required"),
        Arguments.of("{\"title\": \"x\"}", "field [content] is required"),
        Arguments.of("{\"title\": \"   \", \"content\": \"x\"}", "field [title] must not be blank"),
        Arguments.of(
            "{\"title\": \"a\\nb\", \"content\": \"x\"}",
            "field [title] must be one line without control characters"),
        Arguments.of(
            "{\"title\": 5, \"content\": \"x\"}",
            "field [title] must be a string but was number [5]"),
        Arguments.of(
            "{\"title\": \"x\", \"content\": null}",
            "field [content] must be a string but was null"),
        Arguments.of(
            "{\"title\": \"x\", \"content\": [\"a\"]}",
            "field [content] must be a string but was array"),
        Arguments.of(
            "{\"title\": \"" + "t".repeat(201) + "\", \"content\": \"x\"}",
            "field [title] must be at most 200 characters but has 201"),
        Arguments.of(
            "{\"title\": \"x\", \"content\": \"" + "c".repeat(20_001) + "\"}",
            "field [content] must be at most 20000 characters but has 20001"),
        Arguments.of(
            "{\"title\": \"x\", \"content\": \"x\", \"position\": -1}",
            "field [position] must be an integer from 0 to 10000 but was number [-1]"),
        Arguments.of(
            "{\"title\": \"x\", \"content\": \"x\", \"position\": 1.5}",
            "field [position] must be an integer from 0 to 10000 but was number [1.5]"),
        Arguments.of(
            "{\"title\": \"x\", \"content\": \"x\", \"position\": \"1\"}",
            "field [position] must be an integer from 0 to 10000 but was string [\"1\"]"),
        Arguments.of(
            "{\"title\": \"x\", \"content\": \"x\", \"colour\": \"red\"}",
            "field [colour] is not allowed; allowed fields are [title, content, position]"),
        Arguments.of(
            "{\"title\": \"x\", \"title\": \"y\", \"content\": \"x\"}",
            "request body is not valid JSON: Duplicate Object property \"title\""));
  }

  @ParameterizedTest
  @MethodSource("invalidNewBlocks")
  void createRefusesInvalidBodyNamingTheRule(String body, String message) {
    TestHost.Response r =
        host.send(
            "POST", BLOCKS, validator, "application/json", body.getBytes(StandardCharsets.UTF_8));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("success").asBoolean()).isFalse();
    assertThat(r.json().get("error").get("code").asString()).isEqualTo("BAD_REQUEST");
    if (message.endsWith(": ")) {
      assertThat(r.json().get("message").asString()).startsWith(message);
    } else {
      assertThat(r.json().get("message").asString()).isEqualTo(message);
    }
    assertThat(host.get(BLOCKS, validator).data()).isEmpty();
  }

  @Test
  void updateRefusesInvalidBodyAndKeepsTheBlock() {
    String id = create(ada, "{\"title\": \"keep\", \"content\": \"me\"}");
    JsonNode before = host.get(BLOCKS + "/" + id, ada).data();

    assertBadRequest(
        host.put(BLOCKS + "/" + id, ada, "{}"),
        "request body names no field to change; send any of [title, content, position]");
    assertBadRequest(
        host.put(BLOCKS + "/" + id, ada, "{\"title\": \"\"}"), "field [title] must not be blank");
    assertBadRequest(
        host.put(BLOCKS + "/" + id, ada, "{\"title\": \"new\", \"id\": \"" + id + "\"}"),
        "field [id] is not allowed; allowed fields are [title, content, position]");

    assertThat(host.get(BLOCKS + "/" + id, ada).data()).isEqualTo(before);
  }

  @Test
  void idThatIsNotAUuidIsNotFound() {
    assertBlockNotFound(host.get(BLOCKS + "/42", ada), "42");
    assertBlockNotFound(
        host.put(BLOCKS + "/x'%20OR%201=1", ada, "{\"title\": \"t\"}"), "x' OR 1=1");
    assertBlockNotFound(
        host.delete(BLOCKS + "/00000000-0000-0000-0000-000000000000", ada),
        "00000000-0000-0000-0000-000000000000");
  }

  @Test
  void blocksNeedASignedInUser() {
    TestHost.Response r = host.get(BLOCKS, null);

    assertThat(r.status()).isEqualTo(401);
  }

  private static String create(String token, String body) {
    TestHost.Response r = host.post(BLOCKS, token, body);
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.data().get("id").asString();
  }

  private static void assertBadRequest(TestHost.Response r, String message) {
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.json().get("message").asString()).isEqualTo(message);
  }
}
