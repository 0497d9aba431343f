package dev.cas.server.install;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one operation's steps, all or nothing. Before each step's side effect the journal records
 * the step (and what undoing needs); on a failure the steps begun are undone in reverse, each undo
 * failure attached to the cause with {@code addSuppressed}. A host killed between two steps finds
 * the operation in the journal at its next start ({@link OperationRecovery}).
 */
final class Installation {

  private static final Logger LOG = LoggerFactory.getLogger(Installation.class);

  /** A step: its side effect and how to take it back; an undo must be safe to run twice. */
  interface Step {
    String name();

    void apply() throws Exception;

    void undo() throws Exception;

    /** A step from its parts. */
    static Step of(String name, Action apply, Action undo) {
      return new Step() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public void apply() throws Exception {
          apply.run();
        }

        @Override
        public void undo() throws Exception {
          undo.run();
        }
      };
    }
  }

  /** A side effect or its undo. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;

    Action NONE = () -> {};
  }

  private final OperationJournal journal;
  private final OperationJournal.Operation op;
  private final Deque<Step> begun = new ArrayDeque<>();

  Installation(OperationJournal journal, OperationJournal.Operation op) {
    this.journal = journal;
    this.op = op;
  }

  OperationJournal.Operation operation() {
    return op;
  }

  /** Journals the step, then applies it; it is undone with the others if anything fails. */
  void run(Step step) throws Exception {
    journal.reach(op, step.name());
    CrashPoint.reached(op.kind(), step.name());
    begun.push(step);
    step.apply();
    CrashPoint.failIfAsked(op.kind(), step.name());
  }

  /**
   * Undoes every begun step in reverse and ends the operation as rolled back; returns the cause
   * with undo failures attached. When an undo fails, the operation stays running in the journal so
   * that the next start retries the rollback.
   */
  <E extends Throwable> E rollBack(E cause) {
    boolean clean = true;
    while (!begun.isEmpty()) {
      Step step = begun.pop();
      try {
        step.undo();
      } catch (Exception | Error e) {
        clean = false;
        cause.addSuppressed(e);
        LOG.error(
            "undoing step [{}] of {} of plugin [{}] failed; the next start retries",
            step.name(),
            op.kind().id(),
            op.pluginId(),
            e);
      }
    }
    if (clean) {
      try {
        journal.finish(op, "rolled-back", String.valueOf(cause.getMessage()));
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
    return cause;
  }

  /**
   * A test hook: with system property {@code cas.test.pause-at=<kind>:<step>} the host writes the
   * file named by {@code cas.test.pause-file} when it reaches that step and waits there, so a test
   * can kill it with {@code kill -9} at exactly that point. Without the property it does nothing.
   */
  static final class CrashPoint {
    private CrashPoint() {}

    /**
     * A test hook: with system property {@code cas.test.fail-after=<kind>:<step>} the step fails
     * right after its side effect, so a test can watch every step's undo.
     */
    static void failIfAsked(OperationJournal.Kind kind, String step) {
      if ((kind.id() + ":" + step).equals(System.getProperty("cas.test.fail-after"))) {
        throw new IllegalStateException(
            "injected failure after step [" + step + "] of " + kind.id());
      }
    }

    static void reached(OperationJournal.Kind kind, String step) {
      String at = System.getProperty("cas.test.pause-at");
      if (at == null || !at.equals(kind.id() + ":" + step)) {
        return;
      }
      try {
        Files.writeString(
            Path.of(System.getProperty("cas.test.pause-file")),
            kind.name().toLowerCase(Locale.ROOT) + ":" + step);
        while (true) {
          Thread.sleep(60_000);
        }
      } catch (Exception e) {
        throw new IllegalStateException("pause at [" + at + "] ended", e);
      }
    }
  }
}
