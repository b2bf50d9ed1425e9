/**
 * The sample's security: operators only (HTTP Basic, role {@code OPS}) on everything but
 * the health probes, and a start refused without {@code OPS_PASSWORD} outside the
 * development profile.
 */
package io.github.resquepool.sample.security;
