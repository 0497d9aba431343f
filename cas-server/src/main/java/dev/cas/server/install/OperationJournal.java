package dev.cas.server.install;

import dev.cas.server.HostException;
import dev.cas.server.database.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The journal of plugin operations in {@code cas.plugin_operations}: written before each side
 * effect, so that a host killed half way knows at its next start what to undo. The only class that
 * reads or writes that table.
 */
public final class OperationJournal {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The first key of the operations' advisory locks ("CAS" and 1); the second is the plugin's. */
  private static final int LOCK_SPACE = 0x43415301;

  private final DataSource ds;
  private final Map<UUID, Connection> locks = new ConcurrentHashMap<>();

  public OperationJournal(DataSource ds) {
    this.ds = ds;
  }

  /** What an operation does. */
  public enum Kind {
    INSTALL,
    UPGRADE,
    UNINSTALL;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind parse(String stored) {
      return valueOf(stored.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * An operation still running (or left running by a host that died).
   *
   * @param step the last step whose side effect may have begun
   * @param undo what undoing needs (schema, role, migrations and their marker, previous config)
   * @param packageBytes the new package of an install or upgrade
   */
  public record Operation(
      UUID id,
      String pluginId,
      Kind kind,
      Optional<String> fromVersion,
      Optional<String> toVersion,
      String step,
      ObjectNode undo,
      Optional<byte[]> packageBytes) {}

  /**
   * Starts an operation. Refused (by the unique index) while another one on the same plugin is
   * running, so two hosts on one database cannot interleave operations on a plugin.
   */
  public Operation begin(
      String pluginId,
      Kind kind,
      Optional<String> from,
      Optional<String> to,
      Optional<byte[]> packageBytes) {
    UUID id = UUID.randomUUID();
    ObjectNode undo = JSON.createObjectNode();
    // A session-level advisory lock, held on a connection of its own until the operation ends: it
    // tells a host recovering at start (possibly another host on the same database) whether the
    // operation's owner is still alive. PostgreSQL drops it when the owner's session dies.
    Connection lock = lock(pluginId);
    try {
      Sql.update(
          ds,
          "INSERT INTO cas.plugin_operations(id, plugin_id, kind, from_version, to_version, step, state,"
              + " undo, package) VALUES (?,?,?,?,?,?,'running',?::jsonb,?)",
          id,
          pluginId,
          kind.id(),
          from.orElse(null),
          to.orElse(null),
          "begin",
          undo.toString(),
          packageBytes.orElse(null));
    } catch (Sql.DatabaseException e) {
      closeQuietly(lock, e);
      if (running(pluginId).isPresent()) {
        throw new HostException(
            HostException.Reason.OPERATION_IN_PROGRESS,
            "another operation on plugin [" + pluginId + "] is running; try again when it ends",
            e);
      }
      throw e;
    }
    locks.put(id, lock);
    return new Operation(id, pluginId, kind, from, to, "begin", undo, packageBytes);
  }

  private Connection lock(String pluginId) {
    return tryLock(pluginId)
        .orElseThrow(
            () ->
                new HostException(
                    HostException.Reason.OPERATION_IN_PROGRESS,
                    "another operation on plugin ["
                        + pluginId
                        + "] is running; try again when it ends"));
  }

  /**
   * The plugin's advisory lock on a connection of its own, or empty when another session has it.
   */
  private Optional<Connection> tryLock(String pluginId) {
    Connection c = null;
    try {
      c = ds.getConnection();
      boolean got =
          Boolean.TRUE.equals(
              Sql.query(
                      c, "SELECT pg_try_advisory_lock(?, hashtext(?)) AS ok", LOCK_SPACE, pluginId)
                  .getFirst()
                  .get("ok"));
      if (!got) {
        c.close();
        return Optional.empty();
      }
      return Optional.of(c);
    } catch (SQLException e) {
      closeQuietly(c, e);
      throw new Sql.DatabaseException(e);
    } catch (RuntimeException e) {
      closeQuietly(c, e);
      throw e;
    }
  }

  /** The lock of a plugin's operations, held by work that is not one; closing it lets them run. */
  public interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes the lock every operation on the plugin takes (install, upgrade and its watch window,
   * uninstall; activate and deactivate take it too), unless one holds it now, on this host or on
   * another of the same database: for work that must not interleave with an operation, such as the
   * health monitor's restart. While it is held, operations on the plugin are refused as in
   * progress.
   *
   * @return the held lock, or empty while an operation on the plugin runs
   */
  public Optional<Hold> tryHold(String pluginId) {
    return tryLock(pluginId)
        .map(
            c ->
                () -> {
                  try (c) {
                    Sql.query(c, "SELECT pg_advisory_unlock(?, hashtext(?))", LOCK_SPACE, pluginId);
                  } catch (SQLException e) {
                    // Closing the session releases the lock all the same.
                    LoggerFactory.getLogger(OperationJournal.class)
                        .warn("releasing the lock of plugin [{}]: {}", pluginId, e.getMessage());
                  }
                });
  }

  /**
   * The operation's own database session, the one holding its lock: idle until {@link #release}, so
   * the registry step's transaction runs on it rather than taking a second connection from the pool
   * for the operation's whole length.
   */
  Connection session(Operation op) {
    Connection c = locks.get(op.id());
    if (c == null) {
      throw new IllegalStateException("operation [" + op.id() + "] holds no session");
    }
    return c;
  }

  /** Releases the operation's lock (after its end, or after a rollback that left it running). */
  public void release(Operation op) {
    Connection c = locks.remove(op.id());
    if (c != null) {
      try (c) {
        Sql.query(c, "SELECT pg_advisory_unlock(?, hashtext(?))", LOCK_SPACE, op.pluginId());
      } catch (SQLException e) {
        // Closing the session releases the lock all the same.
        LoggerFactory.getLogger(OperationJournal.class)
            .warn("releasing the lock of operation [{}]: {}", op.id(), e.getMessage());
      }
    }
  }

  /**
   * Runs {@code recovery} for an unfinished operation when its owner is gone: waits up to {@code
   * wait} for the operation's lock (a killed host's session may take a moment to end), and skips it
   * when the lock stays held, by a host that is still working on it.
   *
   * @return whether the recovery ran
   */
  boolean whenOwnerGone(Operation op, java.time.Duration wait, Runnable recovery) {
    try (Connection c = ds.getConnection()) {
      try {
        Sql.update(c, "SET lock_timeout = " + wait.toMillis());
        Sql.query(c, "SELECT pg_advisory_lock(?, hashtext(?))", LOCK_SPACE, op.pluginId());
      } catch (SQLException e) {
        if ("55P03".equals(e.getSQLState())) {
          return false;
        }
        throw e;
      }
      try {
        recovery.run();
        return true;
      } finally {
        Sql.query(c, "SELECT pg_advisory_unlock(?, hashtext(?))", LOCK_SPACE, op.pluginId());
        Sql.update(c, "RESET lock_timeout");
      }
    } catch (SQLException e) {
      throw new Sql.DatabaseException(e);
    }
  }

  private static void closeQuietly(Connection c, Exception cause) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Records that {@code step} is about to change something, with what undoing it will need. */
  void reach(Operation op, String step) {
    Sql.update(
        ds,
        "UPDATE cas.plugin_operations SET step = ?, undo = ?::jsonb, updated_at = now() WHERE id = ?",
        step,
        op.undo().toString(),
        op.id());
  }

  /** Ends an operation, inside the transaction that made its last change (the registry's). */
  public void finish(Connection c, Operation op, String state, String detail) throws SQLException {
    Sql.update(
        c,
        "UPDATE cas.plugin_operations SET state = ?, step = 'end', detail = ?, package = NULL,"
            + " updated_at = now() WHERE id = ?",
        state,
        detail,
        op.id());
  }

  /** Ends an operation on its own. */
  public void finish(Operation op, String state, String detail) {
    Sql.inTransaction(
        ds,
        c -> {
          finish(c, op, state, detail);
          return null;
        });
  }

  /** Moves an operation's step inside another transaction (uninstall: with the registry delete). */
  void reach(Connection c, Operation op, String step) throws SQLException {
    Sql.update(
        c,
        "UPDATE cas.plugin_operations SET step = ?, undo = ?::jsonb, updated_at = now() WHERE id = ?",
        step,
        op.undo().toString(),
        op.id());
  }

  /** The running operation on a plugin, if any. */
  public Optional<Operation> running(String pluginId) {
    return unfinished().stream().filter(o -> o.pluginId().equals(pluginId)).findFirst();
  }

  /** Every operation still marked running, oldest first. */
  List<Operation> unfinished() {
    return Sql.query(
            ds,
            "SELECT id, plugin_id, kind, from_version, to_version, step, undo::text AS undo, package"
                + " FROM cas.plugin_operations WHERE state = 'running' ORDER BY started_at")
        .stream()
        .map(OperationJournal::operation)
        .toList();
  }

  /** The last operations on a plugin, newest first: {@code kind, step, state, detail}. */
  public List<Map<String, Object>> history(String pluginId, int limit) {
    return Sql.query(
        ds,
        "SELECT id::text AS id, kind, from_version AS \"fromVersion\", to_version AS \"toVersion\","
            + " step, state, detail, started_at::text AS \"startedAt\", updated_at::text AS \"endedAt\""
            + " FROM cas.plugin_operations WHERE plugin_id = ? ORDER BY started_at DESC LIMIT ?",
        pluginId,
        limit);
  }

  private static Operation operation(Map<String, Object> row) {
    return new Operation(
        (UUID) row.get("id"),
        (String) row.get("plugin_id"),
        Kind.parse((String) row.get("kind")),
        Optional.ofNullable((String) row.get("from_version")),
        Optional.ofNullable((String) row.get("to_version")),
        (String) row.get("step"),
        (ObjectNode) JSON.readTree((String) row.get("undo")),
        Optional.ofNullable((byte[]) row.get("package")));
  }
}
