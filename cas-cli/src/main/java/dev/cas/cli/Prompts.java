package dev.cas.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Questions to the person at the keyboard, and lines read from standard input. */
final class Prompts {

  private Prompts() {}

  /**
   * Asks a yes/no question on {@code err}; only {@code y} or {@code yes} is a yes, and an empty
   * input (a pipe with nothing in it) is a no.
   */
  static boolean confirm(CliEnvironment env, PrintWriter err, String question) {
    err.print(question + " [y/N] ");
    err.flush();
    String answer = readLine(env.stdin());
    return answer != null
        && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
  }

  /** A password: from the terminal without echo, else a usage error that names the way out. */
  static char[] password(CliEnvironment env, String prompt) {
    Console console = System.console();
    if (!env.terminal() || console == null) {
      throw new UsageException(
          "no terminal to ask the password on: pipe it in with --password-stdin");
    }
    char[] pw = console.readPassword("%s", prompt);
    if (pw == null || pw.length == 0) {
      throw new UsageException("no password given");
    }
    return pw;
  }

  /**
   * One line of standard input without its line end, or null at the end of input. Reads byte by
   * byte so that the next call gets the next line (no read-ahead buffer is lost between calls).
   */
  static String readLine(InputStream in) {
    try {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      boolean any = false;
      while ((b = in.read()) >= 0) {
        any = true;
        if (b == '\n') {
          break;
        }
        line.write(b);
      }
      if (!any) {
        return null;
      }
      String s = line.toString(StandardCharsets.UTF_8);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input", e);
    }
  }
}
