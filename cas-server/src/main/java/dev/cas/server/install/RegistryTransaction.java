package dev.cas.server.install;

import dev.cas.packaging.Manifest;
import dev.cas.server.database.Sql;
import dev.cas.server.registry.PluginStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The registry write of an install or upgrade, begun when the operation begins: the package's bytes
 * are streamed into {@code cas.plugin_packages} on a connection of its own while the other steps
 * run, and the registry step finishes and commits that same transaction. Writing a large package
 * takes PostgreSQL about as long as the other steps together; side by side they overlap.
 *
 * <p>All or nothing still holds: nothing written here is visible to others or durable before the
 * registry step commits, together with the journal's end. A failed operation rolls it back; a
 * killed host leaves an open transaction that PostgreSQL rolls back when the session dies. The
 * foreign key from the package to its registry row is checked at that commit (for a first install
 * the row is written by the registry step).
 */
final class RegistryTransaction {

  private final Connection c;
  private final FutureTask<Void> packageWrite;
  private boolean committed;
  private boolean closed;

  private RegistryTransaction(Connection c, FutureTask<Void> packageWrite) {
    this.c = c;
    this.packageWrite = packageWrite;
  }

  /**
   * Opens the transaction and starts streaming the package into it.
   *
   * @param zip the package file, left in place until the transaction commits or is abandoned
   * @param sha256 its SHA-256, checked again on the bytes as they are sent
   */
  static RegistryTransaction begin(
      Connection session, PluginStore store, Manifest m, Path zip, String sha256) {
    Connection c = session;
    try {
      c.setAutoCommit(false);
      Sql.update(c, "SET CONSTRAINTS cas.plugin_packages_plugin_id_fkey DEFERRED");
    } catch (SQLException e) {
      rollBackAfterFailure(c, e);
      throw new Sql.DatabaseException(e);
    }
    FutureTask<Void> write =
        new FutureTask<>(
            () -> {
              store.storePackage(c, m.id(), m.version(), zip, sha256);
              return null;
            });
    Thread.ofVirtual().name("cas-package-write-" + m.id()).start(write);
    return new RegistryTransaction(c, write);
  }

  /**
   * Waits for the package's bytes, runs the rest of the registry write, commits it all and hands
   * the session back (in auto-commit); on a failure the caller {@link #abandon abandons} the
   * transaction.
   */
  <T> T commit(Sql.Tx<T> rest) throws SQLException, InterruptedException {
    awaitPackage();
    T result = rest.run(c);
    c.commit();
    committed = true;
    end();
    return result;
  }

  private void awaitPackage() throws InterruptedException {
    try {
      packageWrite.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("storing the package failed: " + cause, cause);
    }
  }

  /**
   * Rolls the transaction back after the operation failed, once the package write has stopped; what
   * goes wrong on the way is added to {@code failure}.
   */
  void abandon(RuntimeException failure) {
    if (closed) {
      return;
    }
    // The write must have stopped before the session is used again: wait through interrupts.
    boolean interrupted = false;
    while (true) {
      try {
        awaitPackage();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (RuntimeException e) {
        if (e != failure) {
          failure.addSuppressed(e);
        }
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    try {
      end();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** Ends the transaction; the session stays open, its owner (the journal) closes it. */
  private void end() throws SQLException {
    closed = true;
    if (!committed) {
      c.rollback();
    }
    c.setAutoCommit(true);
  }

  private static void rollBackAfterFailure(Connection c, Exception cause) {
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
