package dev.cas.server;

import dev.cas.server.http.Endpoints;
import dev.cas.server.http.HttpApi;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The route table {@link Endpoints} builds, read from the live {@link HttpApi}, so tests can check
 * that their own tables (auth matrix, OpenAPI paths) cover every route the server really has.
 */
final class EndpointRoutes {

  private EndpointRoutes() {}

  /** One route: method, path template as written in Endpoints, and the role it demands. */
  record Route(String method, String path, HttpApi.Role role) {
    @Override
    public String toString() {
      return method + " " + path + " (" + role + ")";
    }
  }

  static List<Route> of(Host host) {
    HttpApi api = host.api();
    try {
      Field field = HttpApi.class.getDeclaredField("routes");
      field.setAccessible(true);
      List<Route> out = new ArrayList<>();
      for (Object r : (List<?>) field.get(api)) {
        out.add(
            new Route(
                (String) component(r, "method"),
                "/" + String.join("/", (String[]) component(r, "segments")),
                (HttpApi.Role) component(r, "role")));
      }
      return out;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("HttpApi's route table changed shape: " + e, e);
    }
  }

  private static Object component(Object record, String name) throws ReflectiveOperationException {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        Method accessor = c.getAccessor();
        accessor.setAccessible(true);
        return accessor.invoke(record);
      }
    }
    throw new NoSuchFieldException(name);
  }
}
