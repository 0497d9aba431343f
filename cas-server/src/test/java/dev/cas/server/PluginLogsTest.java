package dev.cas.server;

import static dev.cas.server.Awaits.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.runtime.TestPlugins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/plugins/{id}/logs}: the lines a plugin logged, attributed by its call thread
 * (even under another plugin's logger name), filtered by level and age, kept in a bounded ring that
 * counts what it dropped, and followed as server-sent events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginLogsTest {

  static final String SOURCE =
      """
      package test.chatty;
      import dev.cas.plugin.api.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          c.logger().log(System.Logger.Level.INFO, "chatty initialized");
          c.routes().register("GET", "/say", r -> {
            c.logger().log(System.Logger.Level.valueOf(r.queryParam("level").orElse("INFO")),
                r.queryParam("msg").orElse("-"));
            return HttpRoutes.Response.text(200, "said");
          });
          c.routes().register("GET", "/spam", r -> {
            int n = Integer.parseInt(r.queryParam("n").orElseThrow());
            for (int i = 0; i < n; i++) c.logger().log(System.Logger.Level.INFO, "spam " + i);
            return HttpRoutes.Response.text(200, "spammed");
          });
          c.routes().register("GET", "/pose", r -> {
            System.getLogger("plugin.quiet").log(System.Logger.Level.WARNING, "posing as quiet");
            return HttpRoutes.Response.text(200, "posed");
          });
        }
      }
      """;

  Path tmp;
  TestHost host;

  @BeforeAll
  void start(@TempDir Path dir) {
    tmp = dir;
    host = TestHost.embedded(tmp.resolve("host"));
    TestPlugins plugins = new TestPlugins(tmp.resolve("build"));
    for (TestPlugins.Spec spec :
        List.of(
            TestPlugins.plugin("chatty")
                .main("test.chatty.Main", SOURCE)
                .permissions("http.routes"),
            TestPlugins.simple("quiet"))) {
      TestHost.Response r = host.importZip(plugins.buildZip(spec), "");
      assertThat(r.status()).as(r.text()).isEqualTo(201);
    }
  }

  @AfterAll
  void stop() {
    host.close();
  }

  private JsonNode logs(String id, String query) {
    TestHost.Response r = host.get("/api/plugins/" + id + "/logs" + query, host.adminToken);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.data();
  }

  private static List<String> messages(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("lines")
        .forEach(l -> out.add(l.get("level").asString() + " " + l.get("message").asString()));
    return out;
  }

  @Test
  void linesOfThePluginAreItsOwnFilteredByLevelAndAge() {
    assertThat(host.get("/api/plugins/chatty/say?msg=hello%20logs", host.adminToken).status())
        .isEqualTo(200);
    assertThat(
            host.get("/api/plugins/chatty/say?level=ERROR&msg=it%20broke", host.adminToken)
                .status())
        .isEqualTo(200);

    JsonNode all = logs("chatty", "");
    assertThat(messages(all))
        .contains("INFO chatty initialized", "INFO hello logs", "ERROR it broke");
    JsonNode line = all.get("lines").get(messages(all).indexOf("INFO hello logs"));
    assertThat(line.get("logger").asString()).isEqualTo("plugin.chatty");
    assertThat(all.get("capacity").asInt()).isEqualTo(1000);
    assertThat(all.get("capturing").asBoolean()).isTrue();

    assertThat(messages(logs("chatty", "?level=warn")))
        .contains("ERROR it broke")
        .doesNotContain("INFO hello logs");
    assertThat(messages(logs("chatty", "?since=PT1H"))).contains("INFO hello logs");
    assertThat(messages(logs("quiet", ""))).doesNotContain("INFO hello logs");
  }

  @Test
  void aLineUnderAnotherPluginsLoggerNameIsTheCallersOwn() {
    assertThat(host.get("/api/plugins/chatty/pose", host.adminToken).status()).isEqualTo(200);

    assertThat(messages(logs("chatty", ""))).contains("WARN posing as quiet");
    assertThat(messages(logs("quiet", ""))).doesNotContain("WARN posing as quiet");
  }

  @Test
  void theRingKeepsTheLastThousandLinesAndCountsTheRest() {
    assertThat(host.get("/api/plugins/chatty/spam?n=1200", host.adminToken).status())
        .isEqualTo(200);

    JsonNode page = logs("chatty", "");
    assertThat(page.get("lines").size()).isEqualTo(1000);
    assertThat(page.get("dropped").asLong()).isGreaterThanOrEqualTo(200);
    assertThat(messages(page).getLast()).isEqualTo("INFO spam 1199");
  }

  @Test
  void badQueriesAreRefusedWithTheReason() {
    TestHost.Response level = host.get("/api/plugins/chatty/logs?level=loud", host.adminToken);
    assertThat(level.status()).isEqualTo(400);
    assertThat(level.json().get("message").asString())
        .isEqualTo("level [loud] is not one of [TRACE, DEBUG, INFO, WARN, ERROR]");
    TestHost.Response since = host.get("/api/plugins/chatty/logs?since=10m", host.adminToken);
    assertThat(since.status()).isEqualTo(400);
    assertThat(since.json().get("message").asString())
        .isEqualTo("since [10m] is not an ISO-8601 duration such as PT10M");
    TestHost.Response none = host.get("/api/plugins/nope/logs", host.adminToken);
    assertThat(none.status()).isEqualTo(404);
  }

  @Test
  void followStreamsNewLinesAsServerSentEvents() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<Stream<String>> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(host.base() + "/api/plugins/chatty/logs?follow=true&level=ERROR"))
                .header("Authorization", "Bearer " + host.adminToken)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    Thread reader = Thread.ofPlatform().daemon().start(() -> r.body().forEach(received::add));
    try {
      awaitUntil(() -> received.stream().anyMatch(l -> l.startsWith("event: dropped")));
      assertThat(
              host.get("/api/plugins/chatty/say?level=ERROR&msg=followed", host.adminToken)
                  .status())
          .isEqualTo(200);
      awaitUntil(
          () ->
              received.stream()
                  .anyMatch(l -> l.startsWith("data: ") && l.contains("\"message\":\"followed\"")));
      assertThat(received).noneMatch(l -> l.contains("\"level\":\"INFO\""));
    } finally {
      r.body().close();
      reader.interrupt();
    }
  }
}
