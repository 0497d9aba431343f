package {{package}};

import dev.cas.plugin.api.Database;
import dev.cas.plugin.api.HttpRoutes;
import dev.cas.plugin.api.HttpRoutes.Request;
import dev.cas.plugin.api.HttpRoutes.Response;
import dev.cas.plugin.api.Plugin;
import dev.cas.plugin.api.PluginConfig;
import dev.cas.plugin.api.PluginContext;
import dev.cas.plugin.api.UserInfo;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {{name}}: its routes, wired once; they read the configuration at each request. */
public final class {{className}} implements Plugin {

  private static final Pattern TITLE = Pattern.compile("\"title\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  @Override
  public void initialize(PluginContext context) {
    PluginConfig config = context.config();
    Database db = context.service(Database.class);
    HttpRoutes routes = context.routes();
    routes.register(
        "GET",
        "/hello",
        request ->
            Response.json(
                200,
                "{\"message\": "
                    + quote(config.getString("greeting").orElse("Hello") + ", " + user(request))
                    + "}"));
    routes.register("GET", "/items", request -> list(db, request));
    routes.register("POST", "/items", request -> add(db, request));
  }

  private static Response list(Database db, Request request) {
    List<Map<String, Object>> rows =
        db.forUser(user(request)).query("SELECT id, title FROM items ORDER BY id");
    return Response.json(
        200, rows.stream().map({{className}}::item).collect(Collectors.joining(", ", "[", "]")));
  }

  private static Response add(Database db, Request request) {
    Matcher m = TITLE.matcher(request.bodyText());
    if (!m.find() || m.group(1).isBlank() || m.group(1).length() > 200) {
      return Response.json(
          400, "{\"error\": \"the body must be {\\\"title\\\": \\\"1 to 200 characters\\\"}\"}");
    }
    String title = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    String userId = user(request);
    db.forUser(userId).update("INSERT INTO items (user_id, title) VALUES (?, ?)", userId, title);
    return Response.json(201, "{\"title\": " + quote(title) + "}");
  }

  private static String user(Request request) {
    return request.user().map(UserInfo::username).orElse("anonymous");
  }

  private static String item(Map<String, Object> row) {
    return "{\"id\": " + row.get("id") + ", \"title\": " + quote(String.valueOf(row.get("title"))) + "}";
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
