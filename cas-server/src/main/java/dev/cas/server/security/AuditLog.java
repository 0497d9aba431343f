package dev.cas.server.security;

import dev.cas.server.database.Sql;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Who did what, when, from where, and how it ended. Never records secrets. */
public final class AuditLog {

  private final DataSource ds;

  public AuditLog(DataSource ds) {
    this.ds = ds;
  }

  public void record(
      String actor, String action, String target, String outcome, String detail, String remote) {
    Sql.update(
        ds,
        "INSERT INTO cas.audit_log(actor, action, target, outcome, detail, remote) VALUES (?,?,?,?,?,?)",
        actor,
        action,
        target,
        outcome,
        detail,
        remote);
  }

  /**
   * Records an action of whoever the current request is (the {@link RequestContext}'s user and
   * address; {@code system} outside a request).
   */
  public void byCaller(String action, String target, String outcome, String detail) {
    record(RequestContext.actor(), action, target, outcome, detail, RequestContext.remote());
  }

  public List<Map<String, Object>> recent(int limit, String pluginId) {
    if (pluginId != null) {
      return Sql.query(
          ds,
          "SELECT id, at, actor, action, target, outcome, detail, remote FROM cas.audit_log"
              + " WHERE target = ? ORDER BY id DESC LIMIT ?",
          pluginId,
          limit);
    }
    return Sql.query(
        ds,
        "SELECT id, at, actor, action, target, outcome, detail, remote FROM cas.audit_log ORDER BY id DESC LIMIT ?",
        limit);
  }
}
