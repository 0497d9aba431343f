package dev.cas.cli;

import java.io.InputStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar for an upload or download, drawn on standard error when a person is at a terminal;
 * when output is piped or captured there is none, so scripts and logs get no control characters.
 */
final class Progress implements AutoCloseable {

  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /**
   * @param total bytes expected, or -1 when unknown
   */
  static Progress start(CliEnvironment env, String task, long total) {
    if (!env.terminal()) {
      return new Progress(null);
    }
    return new Progress(
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUnit(" KiB", 1024)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build());
  }

  /** Whether a bar is drawn. */
  boolean shown() {
    return bar != null;
  }

  /** The stream, counting what is read through it into the bar. */
  InputStream counting(InputStream in) {
    if (bar == null) {
      return in;
    }
    return new HostClient.CountingStream(in) {
      @Override
      void counted(long n) {
        bar.stepBy(n);
      }
    };
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
