package dev.cas.plugins.ldapauth;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what the test JVM writes to standard output and error (where the host logs) while still
 * passing it through, so tests can assert that a secret never reached the log.
 */
final class HostLog {

  private static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
  private static boolean installed;

  private HostLog() {}

  /** Starts capturing; call before the host starts. Idempotent. */
  static synchronized void capture() {
    if (!installed) {
      System.setOut(tee(System.out));
      System.setErr(tee(System.err));
      installed = true;
    }
  }

  /** Everything written since {@link #capture()}. */
  static String text() {
    synchronized (CAPTURED) {
      return CAPTURED.toString(StandardCharsets.UTF_8);
    }
  }

  private static PrintStream tee(PrintStream original) {
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            synchronized (CAPTURED) {
              CAPTURED.write(b);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            synchronized (CAPTURED) {
              CAPTURED.write(b, off, len);
            }
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    return new PrintStream(both, true, StandardCharsets.UTF_8);
  }
}
