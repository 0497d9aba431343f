/**
 * The text-block plugin: per-user text blocks for the dashboard, stored in the plugin's own table
 * {@code text_blocks} under the host's row-level security, and the display settings (font size,
 * alignment, background colour) its {@code <cas-text-block>} web component renders them with.
 *
 * <p>{@link dev.cas.plugins.textblock.TextBlockPlugin} is the only public type: the host creates it
 * from the manifest's {@code main}. Requests flow {@code BlockRoutes} (HTTP, envelope, errors) →
 * {@code BlockRequest} (parsing and validation of bodies) → {@code BlockStore} (SQL, always scoped
 * to the calling user).
 */
package dev.cas.plugins.textblock;
