package dev.cas.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small open-loop HTTP/1.1 load client on keep-alive sockets, one virtual thread per connection.
 * Request i is due at {@code start + i / rate}; its latency is measured from when it was due, not
 * from when it was sent, so a stalled server shows as latency (no coordinated omission).
 */
final class LoadClient {

  private LoadClient() {}

  /** What one fixed-rate run measured; latencies in ms. */
  record Result(
      long requests, long errors, double achievedRps, double p50, double p99, double max) {}

  /** Told of every answered request (from the connection's virtual thread); times from nanoTime. */
  interface Listener {
    void answered(long sentNanos, long doneNanos, int status, String body);
  }

  static Result fixedRate(int port, String path, String token, int rate, double seconds, int conns)
      throws InterruptedException {
    return fixedRate(port, path, token, rate, seconds, conns, null);
  }

  /** As above; {@code listener}, when given, gets each response with its body. */
  static Result fixedRate(
      int port, String path, String token, int rate, double seconds, int conns, Listener listener)
      throws InterruptedException {
    int total = (int) (rate * seconds);
    long[] latencies = new long[total];
    AtomicLong next = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    byte[] request = request(port, path, token);
    long start = System.nanoTime() + 5_000_000;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < conns; c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                      s.setTcpNoDelay(true);
                      OutputStream out = s.getOutputStream();
                      InputStream in = new BufferedInputStream(s.getInputStream());
                      for (long i; (i = next.getAndIncrement()) < total; ) {
                        long due = start + i * 1_000_000_000L / rate;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                          LockSupport.parkNanos(wait);
                        }
                        long sent = System.nanoTime();
                        out.write(request);
                        out.flush();
                        StringBuilder body = listener == null ? null : new StringBuilder();
                        int status = readResponse(in, body);
                        long done = System.nanoTime();
                        if (status != 200) {
                          errors.incrementAndGet();
                        }
                        if (listener != null) {
                          listener.answered(sent, done, status, body.toString());
                        }
                        latencies[(int) i] = done - due;
                      }
                    } catch (IOException e) {
                      errors.incrementAndGet();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Result(
        total,
        errors.get(),
        total / elapsed,
        pct(sorted, 0.50),
        pct(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  /** Closed loop: each connection sends as fast as it gets answers; returns requests per second. */
  static double peak(int port, String path, String token, double seconds, int conns)
      throws InterruptedException {
    byte[] request = request(port, path, token);
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < conns; c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                      s.setTcpNoDelay(true);
                      InputStream in = new BufferedInputStream(s.getInputStream());
                      while (System.nanoTime() < end) {
                        s.getOutputStream().write(request);
                        if (readResponse(in) == 200) {
                          done.incrementAndGet();
                        }
                      }
                    } catch (IOException e) {
                      throw new IllegalStateException("load connection failed: " + e, e);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return done.get() / ((System.nanoTime() - t0) / 1e9);
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static byte[] request(int port, String path, String token) {
    String auth = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
    return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + auth + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads one response with a Content-Length body; returns its status. */
  static int readResponse(InputStream in) throws IOException {
    return readResponse(in, null);
  }

  /** As above, appending the body (as Latin-1 text) to {@code body} when given. */
  static int readResponse(InputStream in, StringBuilder body) throws IOException {
    String status = line(in);
    int length = -1;
    for (String h; !(h = line(in)).isEmpty(); ) {
      if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    if (length < 0) {
      throw new IOException("response without Content-Length: " + status);
    }
    if (body == null) {
      in.skipNBytes(length);
    } else {
      body.append(new String(in.readNBytes(length), StandardCharsets.ISO_8859_1));
    }
    return Integer.parseInt(status.split(" ")[1]);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("connection closed mid-response");
      }
      if (b != '\r') {
        s.append((char) b);
      }
    }
    return s.toString();
  }
}
