package dev.cas.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One plugin system in the side-by-side benchmark: it writes N trivial plugins in its own form (our
 * packages, PF4J plugin jars, OSGi bundles) and loads and starts the first n of them from disk.
 * Each trivial plugin registers one handler: a route for us, a service for Felix, a field holding a
 * lambda for PF4J (which has no registry without extensions).
 */
interface Contender {

  /** All contenders, in table order. */
  static List<Contender> all() {
    return List.of(
        new CasContender(false), new CasContender(true), new Pf4jContender(), new FelixContender());
  }

  /**
   * The contender called {@code name} ({@code cas}, {@code cas-extract}, {@code pf4j} or {@code
   * felix}).
   */
  static Contender named(String name) {
    return all().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no contender [" + name + "]"));
  }

  /** Short name, used on the command line of a cold run. */
  String name();

  /** Human name with version, for the tables. */
  String label();

  /** Writes {@code n} plugins under {@code dir} (created). */
  void prepare(Path dir, int n) throws Exception;

  /**
   * Creates the plugin system and loads and starts the first {@code n} plugins under {@code dir}.
   *
   * @param scratch an empty directory for extraction or a bundle cache
   */
  Running start(Path dir, int n, Path scratch) throws Exception;

  /** A started plugin system. */
  interface Running extends AutoCloseable {

    /** How many plugins are started (checked against n by the benchmark). */
    int started();

    /** Milliseconds spent reading plugins from disk before loading them (0 if not separate). */
    default double readMs() {
      return 0;
    }

    /** Stops and unloads everything. */
    @Override
    void close() throws Exception;
  }
}
