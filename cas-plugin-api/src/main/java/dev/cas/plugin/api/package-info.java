/**
 * Types a plugin implements ({@link dev.cas.plugin.api.Plugin}) and receives from the host ({@link
 * dev.cas.plugin.api.PluginContext}), and the names of the permissions a plugin declares in its
 * manifest ({@link dev.cas.plugin.api.Permission}).
 */
package dev.cas.plugin.api;
