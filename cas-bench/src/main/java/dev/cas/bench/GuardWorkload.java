package dev.cas.bench;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;

/**
 * The code {@link GuardBench} measures, once loaded by the application loader (host code) and once
 * defined again from the same bytes by a plugin loader registered with a policy (plugin code). It
 * refers to nothing but public types, so both copies link the same way.
 */
public final class GuardWorkload implements GuardBench.Ops {

  public GuardWorkload() {}

  /** Pure compute: a few hundred rounds of xorshift and multiply, no guarded JDK method. */
  @Override
  public long compute(long seed) {
    long x = seed | 1;
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      sum += x * 0x9E3779B97F4A7C15L;
    }
    return sum;
  }

  /** Opens a file (guarded: {@code FileInputStream(File)}), reads one byte and closes it. */
  @Override
  public long file(Path file) throws IOException {
    try (InputStream in = new FileInputStream(file.toFile())) {
      return in.read();
    }
  }

  /**
   * Connects to the loopback port (guarded: {@code Net.connect}), writes a byte, reads one back.
   */
  @Override
  public long socket(int port) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setTcpNoDelay(true);
      s.getOutputStream().write(7);
      return s.getInputStream().read();
    }
  }
}
