package dev.cas.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cas.plugin.api.HttpRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an accounted route call costs over calling the handler directly: handing it to one of the
 * plugin's call threads and waiting for it. Writes {@code target/route-call-overhead.txt}; asserts
 * only that it works.
 */
class RouteCallOverheadTest {

  @TempDir Path tmp;

  @Test
  void accountedRouteCallCostIsMeasured() throws Exception {
    try (PluginRuntime runtime = PluginRuntime.create(RuntimeOptions.defaults())) {
      runtime.install(
          new TestPlugins(tmp)
              .build(
                  TestPlugins.plugin("echo")
                      .permissions("http.routes")
                      .main(
                          "test.echo.Main",
                          """
                          package test.echo;
                          import dev.cas.plugin.api.*;
                          public class Main implements Plugin {
                            public void initialize(PluginContext c) {
                              c.routes().register("GET", "/ping",
                                  r -> HttpRoutes.Response.text(200, "pong"));
                            }
                          }
                          """)));
      RouteTable.Match m = runtime.routes().match("echo", "GET", "/ping").orElseThrow();
      HttpRoutes.Request request = HostProbe.request("GET", "/ping", m.pathParams());
      double direct = Double.MAX_VALUE;
      double accounted = Double.MAX_VALUE;
      int n = 2_000;
      for (int round = 0; round < 5; round++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          m.handler().handle(request);
        }
        direct = Math.min(direct, (System.nanoTime() - t0) / (double) n);
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          runtime.callRoute(m, request);
        }
        accounted = Math.min(accounted, (System.nanoTime() - t0) / (double) n);
      }
      String report =
          String.format(
              Locale.ROOT,
              "route call, fastest of 5 rounds of %d: handler called directly %.1f µs, accounted"
                  + " call (plugin call thread, deadline, meter) %.1f µs%n",
              n,
              direct / 1e3,
              accounted / 1e3);
      Files.writeString(Path.of("target/route-call-overhead.txt"), report);
      System.out.print(report);
      assertThat(runtime.usage("echo").orElseThrow().calls()).isGreaterThanOrEqualTo(5L * n);
    }
  }
}
