package dev.cas.server.http;

import dev.cas.packaging.PackageException;
import dev.cas.runtime.PluginRuntimeException;
import dev.cas.server.HostException;

/** The one place a failure becomes an HTTP status and an error code. */
public final class ApiErrors {

  private ApiErrors() {}

  /** An error for the envelope: status, code (a reason name) and message. */
  record ApiError(int status, String code, String message) {}

  static ApiError of(Throwable e) {
    if (e instanceof PackageException pe) {
      int status =
          switch (pe.reason()) {
            case IO_ERROR, NOT_A_ZIP -> 400;
            case INCOMPATIBLE_HOST, INCOMPATIBLE_API, DEPENDENCY_UNSATISFIED -> 409;
            default -> 422;
          };
      return new ApiError(status, pe.reason().name(), pe.getMessage());
    }
    if (e instanceof PluginRuntimeException re) {
      int status =
          switch (re.reason()) {
            case NOT_INSTALLED -> 404;
            case ALREADY_INSTALLED,
                HAS_DEPENDENTS,
                ILLEGAL_STATE,
                DEPENDENCY_MISSING,
                DEPENDENCY_VERSION,
                DEPENDENCY_CYCLE,
                INCOMPATIBLE ->
                409;
            case DEACTIVATE_FAILED, CALL_FAILED -> 500;
            case CALL_DEADLINE -> 504;
            case CALL_REJECTED -> 429;
            case CALL_OVER_BUDGET -> 503;
            default -> 422;
          };
      return new ApiError(status, re.reason().name(), re.getMessage());
    }
    if (e instanceof HostException he) {
      int status =
          switch (he.reason()) {
            case NOT_FOUND -> 404;
            case BAD_REQUEST -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN, CSRF_TOKEN_MISSING, CSRF_TOKEN_INVALID -> 403;
            case ALREADY_INSTALLED,
                VERSION_DOWNGRADE,
                UPGRADE_REQUIRED,
                TABLE_CONFLICT,
                MIGRATION_CHANGED,
                SYSTEM_PLUGIN,
                OPERATION_IN_PROGRESS ->
                409;
            case PLUGIN_INACTIVE -> 503;
            case PLUGIN_FAILED -> 500;
            case SIGN_IN_RATE_LIMITED -> 429;
            default -> 422;
          };
      return new ApiError(status, he.reason().name(), he.getMessage());
    }
    if (e instanceof IllegalArgumentException || e instanceof tools.jackson.core.JacksonException) {
      return new ApiError(400, "BAD_REQUEST", e.getMessage());
    }
    return new ApiError(
        500,
        "INTERNAL_ERROR",
        "internal error: " + e.getClass().getSimpleName() + " (see the host log)");
  }
}
