package dev.cas.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loading and starting N trivial plugins with CAS, PF4J and Felix, side by side in one run: warm
 * (several runs in this JVM after one warm-up run, contenders interleaved), memory held per idle
 * plugin after GC (the system with N plugins minus the empty system, over N), and cold (a new JVM
 * per run, timed as the whole process from spawn to exit).
 */
final class LoadStartBench {

  private final Path work;
  private final int runs;
  private final int coldRuns;

  /** The contenders whose cold runs are also measured with a class cache. */
  private static final List<String> CACHED = List.of("cas", "pf4j");

  private final List<Contender> contenders = Contender.all();
  private final Map<String, List<Double>> warm = new LinkedHashMap<>();
  private final Map<String, List<Double>> cold = new LinkedHashMap<>();
  private final Map<String, List<Double>> read = new LinkedHashMap<>();
  private final Map<String, List<Double>> heap = new LinkedHashMap<>();
  private final Map<String, List<Double>> meta = new LinkedHashMap<>();
  private int scratchCounter;

  LoadStartBench(Path work, int runs, int coldRuns) {
    this.work = work;
    this.runs = runs;
    this.coldRuns = coldRuns;
  }

  /** Runs everything for these sizes and returns the Markdown section. */
  String run(int... sizes) throws Exception {
    int max = Stream.of(sizes).flatMapToInt(java.util.Arrays::stream).max().orElse(0);
    for (Contender c : contenders) {
      c.prepare(work.resolve(c.name()), max);
    }
    Map<String, double[]> empty = new LinkedHashMap<>();
    for (Contender c : contenders) {
      empty.put(c.name(), memoryOf(c, 0));
    }
    for (int n : sizes) {
      for (int run = 0; run <= runs; run++) {
        for (Contender c : contenders) {
          warmRun(c, n, run == 0, empty.get(c.name()));
        }
      }
      System.err.printf("load/start warm N=%d done%n", n);
      // The class cache (the JDK's AOT cache) as ./cas server uses one: trained by one run of the
      // same process, then mapped by every run; for CAS and PF4J, side by side with the plain runs.
      Map<String, Path> caches = new LinkedHashMap<>();
      for (String name : CACHED) {
        trainCache(name, n).ifPresent(cache -> caches.put(name, cache));
      }
      for (int run = 0; run < coldRuns; run++) {
        for (Contender c : contenders) {
          add(cold, c.name() + n, coldRun(c.name(), n, null));
        }
        for (Map.Entry<String, Path> c : caches.entrySet()) {
          add(cold, c.getKey() + "+cache" + n, coldRun(c.getKey(), n, c.getValue()));
        }
        add(cold, "jvm", coldRun("none", 0, null));
      }
      System.err.printf("load/start cold N=%d done%n", n);
    }
    return table(sizes);
  }

  private void warmRun(Contender c, int n, boolean warmUp, double[] empty) throws Exception {
    Path scratch = scratch();
    Stats.settle();
    long heap0 = Stats.heapUsed();
    long meta0 = Stats.metaspaceUsed();
    long t0 = System.nanoTime();
    Contender.Running r = c.start(work.resolve(c.name()), n, scratch);
    long t1 = System.nanoTime();
    check(c.name(), n, r.started());
    double readMs = r.readMs();
    Stats.settle();
    double heapDelta = Stats.heapUsed() - heap0;
    double metaDelta = Stats.metaspaceUsed() - meta0;
    r.close();
    delete(scratch);
    if (!warmUp) {
      add(warm, c.name() + n, (t1 - t0) / 1e6);
      add(read, c.name() + n, readMs);
      add(heap, c.name() + n, (heapDelta - empty[0]) / 1024 / n);
      add(meta, c.name() + n, (metaDelta - empty[1]) / 1024 / n);
    }
  }

  /** Heap and metaspace bytes held by the system with n plugins (median of 3). */
  private double[] memoryOf(Contender c, int n) throws Exception {
    List<Double> h = new ArrayList<>();
    List<Double> m = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path scratch = scratch();
      Stats.settle();
      long heap0 = Stats.heapUsed();
      long meta0 = Stats.metaspaceUsed();
      try (Contender.Running r = c.start(work.resolve(c.name()), n, scratch)) {
        Stats.settle();
        h.add((double) (Stats.heapUsed() - heap0));
        m.add((double) (Stats.metaspaceUsed() - meta0));
      }
      delete(scratch);
    }
    return new double[] {Stats.median(h), Stats.median(m)};
  }

  /**
   * Trains the class cache of contender name with n plugins; returns the cache file, or nothing
   * when the JDK made none (it makes none for a class path with directories, as in a test's).
   */
  private Optional<Path> trainCache(String name, int n) throws Exception {
    Path cache = work.resolve(name + "-" + n + ".aot");
    Path scratch = scratch();
    ProcessBuilder pb =
        coldProcess(
                name,
                n,
                scratch,
                Stream.concat(
                        RestartBench.TRAINING.stream(), Stream.of("-XX:AOTCacheOutput=" + cache))
                    .toList())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    int exit = pb.start().waitFor();
    delete(scratch);
    if (exit != 0 || !Files.isRegularFile(cache)) {
      System.err.printf(
          "class cache training of [%s] exited with [%d]: cold runs without a cache only%n",
          name, exit);
      return Optional.empty();
    }
    return Optional.of(cache);
  }

  private ProcessBuilder coldProcess(String name, int n, Path scratch, List<String> jvm) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(java.toString()));
    cmd.addAll(jvm);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ColdRun.class.getName(),
            name,
            work.resolve(name).toString(),
            Integer.toString(n),
            scratch.toString()));
    return new ProcessBuilder(cmd);
  }

  private double coldRun(String name, int n, Path cache) throws Exception {
    Path scratch = scratch();
    List<String> jvm =
        cache == null ? List.of() : List.of("-XX:AOTCache=" + cache, "-XX:+VerifySharedSpaces");
    ProcessBuilder pb =
        coldProcess(name, n, scratch, jvm)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    long t0 = System.nanoTime();
    int exit = pb.start().waitFor();
    long t1 = System.nanoTime();
    delete(scratch);
    if (exit != 0) {
      throw new IllegalStateException(
          "cold run of [" + name + "] with " + n + " plugins exited with [" + exit + "]");
    }
    return (t1 - t0) / 1e6;
  }

  private String table(int[] sizes) {
    StringBuilder t = new StringBuilder();
    t.append("### Load and start N plugins\n\n");
    t.append(
        Stats.fmt(
            "Warm: %d runs in one JVM after a warm-up run, systems interleaved; from creating the"
                + " plugin system to all N started. Cold: %d new JVMs per cell, wall time of the"
                + " whole process (JVM start, load and start N, exit); an empty JVM takes %s ms."
                + " Memory: held after GC by the system with N plugins minus the empty system,"
                + " over N.%n%n",
            runs, coldRuns, Stats.spread(cold.getOrDefault("jvm", List.of()), 0)));
    t.append(
        "| N | system | warm ms median (min–max) | warm ms/plugin | cold ms median (min–max) |"
            + " heap KiB/plugin | metaspace KiB/plugin |\n");
    t.append("|---|---|---|---|---|---|---|\n");
    for (int n : sizes) {
      for (Contender c : contenders) {
        String k = c.name() + n;
        t.append(
            Stats.fmt(
                "| %d | %s | %s | %.2f | %s | %.1f | %.1f |%n",
                n,
                c.label(),
                Stats.spread(warm.get(k), 1),
                Stats.median(warm.get(k)) / n,
                Stats.spread(cold.get(k), 0),
                Stats.median(heap.get(k)),
                Stats.median(meta.get(k))));
      }
    }
    t.append(
        "\nOf CAS's warm time, opening the folders verified at install (every file hashed against"
            + " the pinned checksum list, manifest parsed and checked, in parallel) takes, median:");
    for (int n : sizes) {
      t.append(Stats.fmt(" N=%d %.1f ms;", n, Stats.median(read.get("cas" + n))));
    }
    t.append(" extracting and verifying each package at start instead (as the host did before)");
    t.append(" takes:");
    for (int n : sizes) {
      t.append(Stats.fmt(" N=%d %.1f ms;", n, Stats.median(read.get("cas-extract" + n))));
    }
    t.append(
        " the rest is the runtime (loaders, classes, initialize, activate, routes), which starts"
            + " independent plugins in parallel along the dependency graph.\n");
    t.append(
        "\nCold with a class cache (the JDK's AOT cache, as `./cas server` uses one for the host:"
            + " trained by one run of the same process, then mapped by each run; checksums"
            + " verified), side by side with the plain cold runs above:\n\n");
    t.append(
        "| N | cold CAS + cache ms | cold PF4J + cache ms | CAS + cache / CAS |"
            + " CAS + cache / PF4J | CAS + cache / PF4J + cache |\n");
    t.append("|---|---|---|---|---|---|\n");
    for (int n : sizes) {
      t.append(
          Stats.fmt(
              "| %d | %s | %s | %.2f | %.2f | %.2f |%n",
              n,
              Stats.spread(cold.getOrDefault("cas+cache" + n, List.of()), 0),
              Stats.spread(cold.getOrDefault("pf4j+cache" + n, List.of()), 0),
              ratio(cold, "cas+cache", "cas", n),
              ratio(cold, "cas+cache", "pf4j", n),
              ratio(cold, "cas+cache", "pf4j+cache", n)));
    }
    t.append("\nRatios CAS / other (median over median; below 1 means CAS is faster):\n\n");
    t.append("| N | warm CAS/PF4J | warm CAS/Felix | cold CAS/PF4J | cold CAS/Felix |\n");
    t.append("|---|---|---|---|---|\n");
    for (int n : sizes) {
      t.append(
          Stats.fmt(
              "| %d | %.2f | %.2f | %.2f | %.2f |%n",
              n,
              ratio(warm, "cas", "pf4j", n),
              ratio(warm, "cas", "felix", n),
              ratio(cold, "cas", "pf4j", n),
              ratio(cold, "cas", "felix", n)));
    }
    return t.toString();
  }

  /** Median of a over median of b at size n. */
  double ratio(Map<String, List<Double>> m, String a, String b, int n) {
    return Stats.median(m.getOrDefault(a + n, List.of()))
        / Stats.median(m.getOrDefault(b + n, List.of()));
  }

  Map<String, List<Double>> warm() {
    return warm;
  }

  Map<String, List<Double>> cold() {
    return cold;
  }

  /** Median KiB of heap plus metaspace per idle plugin of contender c at size n. */
  double kibPerPlugin(String c, int n) {
    return Stats.median(heap.get(c + n)) + Stats.median(meta.get(c + n));
  }

  private static void check(String name, int n, int started) {
    if (started != n) {
      throw new IllegalStateException(
          "[" + name + "] started " + started + " of " + n + " plugins");
    }
  }

  private static void add(Map<String, List<Double>> m, String key, double v) {
    m.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
  }

  private Path scratch() throws IOException {
    return Files.createDirectories(work.resolve("scratch/" + (++scratchCounter)));
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
