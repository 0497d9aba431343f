package dev.cas.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A host service as a plugin holds it: every call runs as the host acting for itself ({@link
 * SandboxBridge#asHost}), since the service (the database, users, auth) checks the plugin's
 * permissions itself and then works with the host's rights — it opens connections, reads its own
 * files, starts its pool's threads. A service object it returns (a {@code Database} for a user) is
 * wrapped the same way (interfaces of the plugin API only). Without this door the sandbox judges
 * the service's work against the plugin's policy, as it does for any other host code a plugin
 * reaches.
 *
 * <p>Callbacks a plugin passes in (a transaction's work) run inside the host's block, but their own
 * frames count again: the plugin's code in them is judged as the plugin's.
 */
final class HostDoor implements InvocationHandler {

  private static final String API_PACKAGE = "dev.cas.plugin.api";

  private final Object service;

  private HostDoor(Object service) {
    this.service = service;
  }

  /** {@code service}, behind a door of the interface {@code type}. */
  static <S> S of(Class<S> type, S service) {
    if (!type.isInterface() || !SandboxBridge.enforcing()) {
      return service;
    }
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(), new Class<?>[] {type}, new HostDoor(service)));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "HostDoor[" + service + "]";
      };
    }
    Object result;
    try {
      result = SandboxBridge.asHost(() -> invokeService(method, args));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    Class<?> returned = method.getReturnType();
    if (result != null
        && returned.isInterface()
        && returned.getPackageName().equals(API_PACKAGE)
        && returned.isInstance(result)) {
      return wrap(returned, result);
    }
    return result;
  }

  private Object invokeService(Method method, Object[] args) throws InvocationTargetException {
    try {
      return method.invoke(service, args);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(
          "host service [" + method.getDeclaringClass().getName() + "] is not accessible: " + e, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <S> S wrap(Class<S> type, Object result) {
    return of(type, (S) result);
  }
}
