/**
 * What a plugin made by {@code cas migrate-legacy} runs in the host besides its own PF4J classes:
 * the main class that drives the PF4J {@code Plugin} through the CAS lifecycle, and an SLF4J
 * provider that sends the PF4J plugin's log lines to its CAS logger.
 *
 * <p>These classes are not used by the {@code cas} command itself: it copies their class files into
 * the migrated plugin's jar, where the plugin's own class loader defines them (with the PF4J and
 * SLF4J jars the package bundles in {@code backend/lib}).
 */
package dev.cas.pf4j;
