/**
 * A real CAS host for a plugin's tests: {@link dev.cas.testkit.TestHost} starts one on a random
 * port with a fresh database, installs packages over the REST API and calls them over HTTP.
 */
package dev.cas.testkit;
