package dev.cas.server.logs;

import java.time.Instant;

/**
 * One log line attributed to a plugin.
 *
 * @param seq its number in the plugin's ring (increasing; a gap means lines were dropped)
 * @param at when it was logged
 * @param level TRACE, DEBUG, INFO, WARN or ERROR
 * @param logger the logger's name
 * @param thread the thread that logged it
 * @param message the message, with the exception's stack when there is one (capped)
 */
public record LogLine(
    long seq, Instant at, String level, String logger, String thread, String message) {}
