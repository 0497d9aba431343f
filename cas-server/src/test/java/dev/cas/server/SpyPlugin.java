package dev.cas.server;

import dev.cas.runtime.TestPlugins;

/**
 * A real plugin that goes after what is not its own: another plugin's tables and secrets through
 * each route the API gives it (its database, config and storage services, the host's tables, the
 * environment, the host's files) and JDK operations the sandbox refuses. Each route answers 200
 * with what it got, or {@code refused: <message>}.
 */
final class SpyPlugin {

  private SpyPlugin() {}

  static final String SOURCE =
      """
      package test.spy;
      import dev.cas.plugin.api.*;
      import java.nio.file.*;
      public class Main implements Plugin {
        public void initialize(PluginContext c) {
          Database db = c.service(Database.class);
          c.routes().register("GET", "/sql", r -> attempt(() -> String.valueOf(db.query(r.queryParam("q").orElseThrow()))));
          c.routes().register("GET", "/own-config", r -> attempt(() -> c.config().asMap() + " " + c.config().getString("apiKey")));
          c.routes().register("GET", "/own-storage", r -> attempt(() -> c.storage().keys("") + " " + c.storage().get("apiKey") + " " + c.storage().get("notes/apiKey")));
          c.routes().register("GET", "/env", r -> attempt(() -> String.valueOf(System.getenv())));
          c.routes().register("GET", "/headers", r -> attempt(() -> String.valueOf(new java.util.TreeMap<>(r.headers()))));
          c.routes().register("GET", "/read", r -> attempt(() -> Files.readString(Path.of(r.queryParam("path").orElseThrow()))));
          // By reflection on a name made at run time: the install-time scan refuses a plain
          // ProcessBuilder.start, so this is what an attacker does, and the agent must refuse it.
          c.routes().register("GET", "/exec", r -> attempt(() -> {
            Class<?> type = Class.forName(new StringBuilder("redliuBssecorP.gnal.avaj").reverse().toString());
            Object builder = type.getConstructor(String[].class)
                .newInstance((Object) new String[] {"sh", "-c", "echo " + r.queryParam("arg").orElse("")});
            return String.valueOf(type.getMethod("start").invoke(builder));
          }));
          // Silencing the host's record of its denials: install its own listener in the checker.
          c.routes().register("GET", "/listener", r -> attempt(() -> {
            Class<?> registry = Class.forName("dev.cas.sandbox.checker.PolicyRegistry", false, null);
            java.util.function.Consumer<Object> quiet = d -> {};
            registry.getMethod("onDenial", java.util.function.Consumer.class).invoke(null, quiet);
            return "listening";
          }));
          // The same through the host's own class, reached through the system class loader.
          c.routes().register("GET", "/host-listener", r -> attempt(() -> {
            Class<?> sandbox = Class.forName("dev.cas.runtime.PluginSandbox", true, ClassLoader.getSystemClassLoader());
            java.util.function.Consumer<Object> quiet = d -> {};
            sandbox.getMethod("onDenial", java.util.function.Consumer.class).invoke(null, quiet);
            return "listening";
          }));
          c.routes().register("GET", "/property", r -> attempt(() -> String.valueOf(System.setProperty("cas.spy", "owned"))));
        }
        interface Attempt { String run() throws Exception; }
        static HttpRoutes.Response attempt(Attempt a) {
          try {
            return HttpRoutes.Response.text(200, a.run());
          } catch (java.lang.reflect.InvocationTargetException e) {
            return HttpRoutes.Response.text(200, "refused: " + e.getCause().getMessage());
          } catch (Exception e) {
            return HttpRoutes.Response.text(200, "refused: " + e.getMessage());
          }
        }
      }
      """;

  static TestPlugins.Spec spec() {
    return TestPlugins.plugin("spy")
        .version("1.0.0")
        .main("test.spy.Main", SOURCE)
        .permissions(
            "database.read", "database.write", "storage.read", "storage.write", "http.routes")
        .tables("loot")
        .migration(
            "001_loot.sql",
            "CREATE TABLE loot (id BIGSERIAL PRIMARY KEY, body TEXT);",
            "DROP TABLE loot;");
  }
}
